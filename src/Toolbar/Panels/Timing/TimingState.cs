using System.Diagnostics;

namespace Toolbar.Panels.Timing;

/// <summary>Raw facts gathered while one request runs: the activities it started, the commands it ran. Thread-safe.</summary>
internal sealed class TimingState
{
    /// <summary>Upper bound of activities kept per request, so a request that starts millions cannot exhaust memory.</summary>
    public const int MaxActivities = 5000;

    private readonly Lock _lock = new();
    private readonly List<Activity> _activities = [];
    private readonly List<CommandSpan> _commands = [];
    private bool _finished;
    private int _dropped;

    /// <summary>The activity that was current when the request reached the toolbar (usually ASP.NET Core's request activity).</summary>
    public Activity? RequestActivity { get; set; }

    /// <summary>Milliseconds from request start until the response started.</summary>
    public double? ResponseStartedMs { get; set; }

    public void Add(Activity activity)
    {
        lock (_lock)
        {
            if (HasRoom())
            {
                _activities.Add(activity);
            }
        }
    }

    public void Add(CommandSpan command)
    {
        lock (_lock)
        {
            if (HasRoom())
            {
                _commands.Add(command);
            }
        }
    }

    /// <summary>Whether one more span may be kept (call under the lock); a span beyond the bound is only counted.</summary>
    private bool HasRoom()
    {
        if (_finished)
        {
            return false;
        }

        if (_activities.Count + _commands.Count >= MaxActivities)
        {
            _dropped++;
            return false;
        }

        return true;
    }

    /// <summary>A copy of the activities recorded so far.</summary>
    public Activity[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _activities];
        }
    }

    /// <summary>Stops recording and hands over what was recorded.</summary>
    public (Activity[] Activities, CommandSpan[] Commands, int Dropped) Finish()
    {
        lock (_lock)
        {
            _finished = true;
            Activity[] activities = [.. _activities];
            CommandSpan[] commands = [.. _commands];
            _activities.Clear();
            _commands.Clear();
            return (activities, commands, _dropped);
        }
    }
}
