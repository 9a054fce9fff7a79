using System.Diagnostics;
using Toolbar.Internal;

namespace Toolbar.Panels.Timing;

/// <summary>
/// The one process-wide <see cref="ActivityListener"/> of the timing panels. It asks for an activity only
/// when the code creating it runs inside a tracked request (found through <see cref="RequestRecord.Current"/>),
/// so untracked requests create no extra activities, and it files each activity under that request only.
/// </summary>
internal static class TimingListener
{
    private static int s_started;

    /// <summary>Starts the listener, once per process (every timing panel of every app in the process shares it).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_started, 1) == 0)
        {
            ActivitySource.AddActivityListener(new ActivityListener
            {
                ShouldListenTo = static _ => true,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => Sample(),
                SampleUsingParentId = static (ref ActivityCreationOptions<string> _) => Sample(),
                ActivityStarted = OnStarted,
            });
            EfCommandEvents.OnTimingEvents(EfCoreCommandObserver.OnNext);
        }
    }

    /// <summary>The timing state of the current request, or <c>null</c> when the request is not tracked by a timing panel.</summary>
    public static TimingState? CurrentState()
    {
        var record = RequestRecord.Current;
        return record is null ? null : FindState(record);
    }

    // A record belongs to one app, which has one timing panel: its state is the record's only TimingState.
    public static TimingState? FindState(RequestRecord record) => record.FindState<TimingState>();

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
