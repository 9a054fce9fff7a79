using System.Diagnostics;

namespace Toolbar.Panels.Cpu;

/// <summary>
/// Runs one profile at a time: the sample profiler is process-wide, so two sessions would only cost twice. A request
/// that asks while another is profiled waits up to <see cref="QueueTimeout"/> for its turn, then runs unprofiled and
/// says why in the panel.
/// </summary>
internal sealed class CpuProfiler
{
    /// <summary>The runtime's sample profiler aims to sample every managed thread once a millisecond.</summary>
    public const double NominalIntervalMs = 1.0;

    private readonly SemaphoreSlim _slot = new(1, 1);

    /// <summary>Longest wait of a profiled request for the profile before it (which includes its closing rundown).</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for the event stream to end after a profile stops.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether a profile is running or being finished now.</summary>
    public bool Busy => _slot.CurrentCount == 0;

    /// <summary>Starts a profile, or returns <c>null</c> and why not.</summary>
    public CpuProfileSession? TryStart(out string? refusal)
    {
        if (!_slot.Wait(QueueTimeout))
        {
            refusal = $"Not profiled: another request was being profiled and did not finish within {QueueTimeout.TotalSeconds:0.#} s. Profiles run one at a time; send the request again.";
            return null;
        }

        try
        {
            refusal = null;
            return CpuProfileSession.Start();
        }
        catch (Exception ex)
        {
            _slot.Release();
            // The in-process session goes through the runtime's diagnostics port, which DOTNET_EnableDiagnostics=0 turns off.
            refusal = $"Not profiled: could not open a diagnostics session on this process ({ex.GetType().Name}: {ex.Message}). Is DOTNET_EnableDiagnostics=0 set?";
            return null;
        }
    }

    /// <summary>
    /// Bounds a profile to <paramref name="limit"/>: then sampling stops (what was sampled is kept) and the next request
    /// may be profiled, even if this one never finishes (a long poll, a stream, a hung call).
    /// </summary>
    public Timer Limit(CpuProfileSession session, TimeSpan limit) =>
        new(static s =>
        {
            var (profiler, session) = ((CpuProfiler, CpuProfileSession))s!;
            // The next request may start its profile while this one's closing rundown still runs (it can take
            // seconds on a busy machine): two sessions for a moment cost more, a blocked profiler costs a profile.
            session.MarkStoppedEarly();
            profiler.Release(session);
            session.StopEarly();
        }, (this, session), limit, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Stops the session in the background (the response is not held up by the runtime's closing rundown), keeps the
    /// samples of the request's threads and times, and frees the profiler for the next request.
    /// </summary>
    public Task<CpuData> FinishAsync(CpuProfileSession session, IReadOnlyList<ThreadInterval> intervals, long startedAt, long endedAt, string trigger, ModuleAppCode appCode) =>
        Task.Run(() =>
        {
            try
            {
                var samples = session.StopAndResolve((thread, time) => RequestThreadIntervals.Contains(intervals, thread, time), StopTimeout,
                    startedAt, endedAt, out var rounds);
                // A profile stopped at its limit covers the request up to then only.
                var stoppedEarly = session.StoppedEarlyAt is > 0 and var at && at < endedAt;
                if (stoppedEarly)
                {
                    endedAt = session.StoppedEarlyAt;
                }

                var durationMs = Stopwatch.GetElapsedTime(startedAt, endedAt).TotalMilliseconds;
                // The sampler aims at one round a millisecond but runs late when the machine is busy: the period it
                // really kept is what each sample stands for.
                var intervalMs = rounds > 0 ? Math.Max(NominalIntervalMs, durationMs / rounds) : NominalIntervalMs;
                var data = CpuProfileBuilder.Build(samples, Math.Round(intervalMs, 3), durationMs, rounds,
                    session.RawSampleCount, trigger, appCode.IsApp);
                data.StoppedEarly = stoppedEarly;
                return data;
            }
            finally
            {
                try
                {
                    session.Dispose();
                }
                finally
                {
                    Release(session);
                }
            }
        });

    private void Release(CpuProfileSession session)
    {
        if (session.ClaimSlotRelease())
        {
            _slot.Release();
        }
    }
}
