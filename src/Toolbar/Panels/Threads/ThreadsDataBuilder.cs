using System.Diagnostics;
using System.Reflection;

namespace Toolbar.Panels.Threads;

/// <summary>
/// Builds a request's threads data from what the shared listener read (on first read of the record): names each wait
/// and keeps the app's frames, by the rule of the app the request belongs to, and merges each task wait with the
/// runtime's blocking wait inside it.
/// </summary>
internal static class ThreadsDataBuilder
{
    public static ThreadsData Build(ThreadPoolFigures figures, RawWait[] waits, TaskWaitSpan[] taskWaits, int dropped, long requestStart, AppCode appCode, bool watched)
    {
        var data = new ThreadsData { ThreadPool = figures, ThresholdMs = ThreadsPanel.ThresholdMs, DroppedWaits = dropped, WaitsWatched = watched };
        foreach (var wait in Merge([.. waits.Select(w => Describe(w, appCode))], taskWaits).OrderBy(w => w.StartTimestamp))
        {
            var duration = Stopwatch.GetElapsedTime(wait.StartTimestamp, wait.EndTimestamp).TotalMilliseconds;
            var stack = wait.Frames.Select(f => appCode.Resolve(f).ToString()).Concat(wait.UnresolvedAppFrames).ToList();
            data.BlockingWaits.Add(new BlockingWait
            {
                Kind = wait.Kind,
                Api = wait.Api,
                DurationMs = Math.Round(duration, 3),
                TimedFromBlock = wait.TimedFromBlock,
                StartMs = Math.Round(Stopwatch.GetElapsedTime(requestStart, wait.StartTimestamp).TotalMilliseconds, 3),
                ThreadPoolThread = wait.ThreadPoolThread,
                Stack = stack,
            });
            data.BlockedMs += duration;
        }

        data.BlockedMs = Math.Round(data.BlockedMs, 3);
        if (figures.QueueDelayMs >= ThreadsPanel.StarvationMs)
        {
            data.StarvationWarning = figures.QueueProbeStarted
                ? $"New work waited up to {figures.QueueDelayMs:0} ms for a thread-pool thread during this request: every thread was busy or blocked (the pool adds threads slowly)."
                : $"New work queued when this request started had not got a thread-pool thread {figures.QueueDelayMs:0} ms later, when it ended: every thread was busy or blocked (the pool adds threads slowly).";
        }

        return data;
    }

    /// <summary>
    /// Each task wait (timed by the task library) takes the kind and frames of the runtime's blocking wait inside it, on
    /// the same thread; the runtime's other waits stay as they are.
    /// </summary>
    private static List<NamedWait> Merge(List<NamedWait> runtime, TaskWaitSpan[] taskWaits)
    {
        if (taskWaits.Length == 0)
        {
            return runtime;
        }

        var merged = new List<NamedWait>();
        var inside = new HashSet<NamedWait>();
        foreach (var task in taskWaits)
        {
            var blocking = runtime.Where(w => w.ThreadId == task.ThreadId && w.StartTimestamp >= task.StartTimestamp && w.StartTimestamp <= task.EndTimestamp).ToList();
            inside.UnionWith(blocking);
            var first = blocking.FirstOrDefault();
            var kind = first?.Kind is { } k && WaitStack.IsTaskWait(k) ? k : "Task wait";
            merged.Add(new NamedWait(kind, first?.Api ?? kind, task.StartTimestamp, task.EndTimestamp, first?.Frames ?? [], first?.UnresolvedAppFrames ?? [], task.ThreadPoolThread, task.ThreadId, TimedFromBlock: false));
        }

        merged.AddRange(runtime.Where(w => !inside.Contains(w)));
        return merged;
    }

    /// <summary>Leaf first: the runtime's wait, the framework API the app called, then the app's frames.</summary>
    private static NamedWait Describe(RawWait wait, AppCode appCode)
    {
        var framework = new List<string>();
        var frames = new List<CapturedFrame>();
        var unresolved = new List<string>();
        foreach (var frame in wait.Stack)
        {
            if (frames.Count + unresolved.Count >= WaitStack.MaxFrames)
            {
                break;
            }

            if (frame.Assembly is { } assembly && appCode.IsAppAssembly(assembly))
            {
                if (ResolveMethod(assembly, frame.Token) is { } resolved)
                {
                    frames.Add(new CapturedFrame(resolved, Math.Max(0, frame.ILOffset)));
                }
                else
                {
                    unresolved.Add(WaitStack.CleanName(frame.Name));
                }
            }
            else if (frames.Count == 0 && unresolved.Count == 0)
            {
                framework.Add(frame.Name);
            }
        }

        var (kind, api) = WaitStack.Classify(wait.IsLock, wait.WaitSource, framework);
        return new NamedWait(kind, api, wait.StartTimestamp, wait.EndTimestamp, frames, unresolved, wait.ThreadPoolThread, wait.ThreadId, WaitStack.IsTaskWait(kind));
    }

    private static MethodBase? ResolveMethod(Assembly assembly, int token)
    {
        try
        {
            return token == 0 ? null : assembly.ManifestModule.ResolveMethod(token);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private sealed record NamedWait(string Kind, string? Api, long StartTimestamp, long EndTimestamp, IReadOnlyList<CapturedFrame> Frames, IReadOnlyList<string> UnresolvedAppFrames, bool ThreadPoolThread, ulong ThreadId, bool TimedFromBlock);
}
