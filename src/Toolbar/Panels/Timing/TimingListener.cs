using System.Diagnostics;

namespace Toolbar.Panels.Timing;

/// <summary>
/// The one process-wide <see cref="ActivityListener"/> of the timing panels. It asks for an activity only
/// when the code creating it runs inside a tracked request (found through <see cref="RequestRecord.Current"/>),
/// so untracked requests create no extra activities, and it files each activity under that request only.
/// </summary>
internal static class TimingListener
{
    private static readonly Lock s_lock = new();
    private static WeakReference<TimingPanel>[] s_panels = [];
    private static ActivityListener? s_listener;

    /// <summary>Makes the listener serve a panel (and starts it on first use).</summary>
    public static void Register(TimingPanel panel)
    {
        lock (s_lock)
        {
            // Panels die with their app (tests start many); keep only the living ones.
            var alive = new List<WeakReference<TimingPanel>>(s_panels.Length + 1);
            foreach (var reference in s_panels)
            {
                if (reference.TryGetTarget(out _))
                {
                    alive.Add(reference);
                }
            }

            alive.Add(new WeakReference<TimingPanel>(panel));
            Volatile.Write(ref s_panels, alive.ToArray());
            if (s_listener is null)
            {
                s_listener = new ActivityListener
                {
                    ShouldListenTo = static _ => true,
                    Sample = static (ref ActivityCreationOptions<ActivityContext> _) => Sample(),
                    SampleUsingParentId = static (ref ActivityCreationOptions<string> _) => Sample(),
                    ActivityStarted = OnStarted,
                };
                ActivitySource.AddActivityListener(s_listener);
                DiagnosticListener.AllListeners.Subscribe(EfCoreCommandObserver.Instance);
            }
        }
    }

    /// <summary>The timing state of the current request, or <c>null</c> when the request is not tracked by a timing panel.</summary>
    public static TimingState? CurrentState()
    {
        var record = RequestRecord.Current;
        return record is null ? null : FindState(record);
    }

    public static TimingState? FindState(RequestRecord record)
    {
        foreach (var reference in Volatile.Read(ref s_panels))
        {
            if (reference.TryGetTarget(out var panel) && record.FindState<TimingState>(panel) is { } state && ReferenceEquals(state.Owner, panel))
            {
                return state;
            }
        }

        return null;
    }

    private static ActivitySamplingResult Sample()
    {
        try
        {
            return CurrentState() is null ? ActivitySamplingResult.None : ActivitySamplingResult.AllData;
        }
        catch (Exception)
        {
            // A collector must never break the app's own instrumentation.
            return ActivitySamplingResult.None;
        }
    }

    private static void OnStarted(Activity activity)
    {
        try
        {
            // Runs synchronously where the activity starts, so the ambient record is the activity's request.
            CurrentState()?.Add(activity);
        }
        catch (Exception)
        {
            // Same as above: never let the toolbar fail the app.
        }
    }
}
