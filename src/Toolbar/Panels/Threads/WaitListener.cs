using System.Diagnostics;

namespace Toolbar.Panels.Threads;

/// <summary>
/// The one wait listener of the process, shared by every threads panel in it (a test run or a host with many apps):
/// one <see cref="WaitSession"/> with stacks and one light <see cref="PoolSession"/>, whatever the number of apps, so
/// the runtime's session limit, native buffers and background parsing do not grow with them; a
/// <see cref="TaskWaitSession"/> only while an app asks for task-wait timing or once a tracked request blocked on a task.
/// Reference-counted: a panel holds a reference while its app tracks requests (<see cref="AddUser"/>), the first one
/// that needs the sessions starts them in the background, and they stop when the last reference goes (idle timeout or
/// the app stopping). A failed start leaves no waits listed and is retried after <see cref="RetryDelay"/>; a heap
/// snapshot stops the sessions for its walk (<see cref="RuntimeSessionPause"/>) and the next tracked request starts
/// them again.
/// </summary>
internal static class WaitListener
{
    private static readonly Lock s_lock = new();
    private static int s_users;
    private static int s_taskUsers;
    private static bool s_taskWaitSeen;
    private static WaitSession? s_session;
    private static PoolSession? s_pool;
    private static TaskWaitSession? s_tasks;
    private static bool s_starting;
    private static long s_retryAfter;
    private static int s_starts;

    static WaitListener() => RuntimeSessionPause.Register(StopForPause);

    /// <summary>How long a failed start is not retried, so that tracked requests do not each start a failing attempt.</summary>
    public static TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Why the last start failed, if one did (tests, diagnostics).</summary>
    public static string? LastStartError { get; private set; }

    /// <summary>Starts that fail on purpose, as a refused session would (tests).</summary>
    public static int FailNextStarts;

    /// <summary>How many panels hold a reference (tests).</summary>
    public static int Users => Read(() => s_users);

    /// <summary>How many times the wait session was started since the process began (tests: one start serves every app).</summary>
    public static int Starts => Volatile.Read(ref s_starts);

    /// <summary>Whether a start runs now, in the background (tests).</summary>
    public static bool Starting => Read(() => s_starting);

    /// <summary>The wait session, while it listens.</summary>
    public static WaitSession? Session => Read(() => s_session);

    /// <summary>The light session, while it listens.</summary>
    public static PoolSession? Pool => Read(() => s_pool);

    /// <summary>The task-wait session, while it listens.</summary>
    public static TaskWaitSession? TaskWaits => Read(() => s_tasks);

    /// <summary>A panel needs the sessions from now on; <paramref name="taskWaits"/> when it times task waits from the start.</summary>
    public static void AddUser(bool taskWaits)
    {
        lock (s_lock)
        {
            s_users++;
            if (taskWaits)
            {
                s_taskUsers++;
            }
        }
    }

    /// <summary>A panel no longer needs the sessions: the last one stops them.</summary>
    public static void RemoveUser(bool taskWaits)
    {
        TaskWaitSession? tasks = null;
        lock (s_lock)
        {
            s_users--;
            if (taskWaits)
            {
                s_taskUsers--;
            }

            if (s_users > 0)
            {
                if (s_taskUsers == 0 && !s_taskWaitSeen)
                {
                    // Nobody asks for task-wait timing any more: every await of the process stops paying for it.
                    (tasks, s_tasks) = (s_tasks, null);
                }
            }
        }

        if (tasks is not null)
        {
            WaitMarkerSource.Log.RequestEnded();
            tasks.Dispose();
            return;
        }

        Stop(onlyIfUnused: true);
    }

    /// <summary>A tracked request blocked on a task: task waits are timed from the call until the listener stops.</summary>
    public static void TaskWaitSeen()
    {
        lock (s_lock)
        {
            // Only while the listener runs: the flag ends with it.
            if (s_taskWaitSeen || s_session is null || s_users == 0)
            {
                return;
            }

            s_taskWaitSeen = true;
            StartLocked();
        }
    }

    /// <summary>
    /// The sessions as they are now, for a request that starts; starts those that should run and do not, in the background.
    /// </summary>
    public static (WaitSession? Session, PoolSession? Pool, TaskWaitSession? TaskWaits) Current()
    {
        lock (s_lock)
        {
            StartLocked();
            return (s_session, s_pool, s_tasks);
        }
    }

    private static T Read<T>(Func<T> read)
    {
        lock (s_lock)
        {
            return read();
        }
    }

    private static bool TasksWantedLocked() => s_taskUsers > 0 || s_taskWaitSeen;

    private static void StartLocked()
    {
        if (!s_starting && s_users > 0 && (s_session is null || s_pool is null || (s_tasks is null && TasksWantedLocked()))
            && !RuntimeSessionPause.Paused && Stopwatch.GetTimestamp() >= s_retryAfter)
        {
            s_starting = true;
            // Off the request: opening the session and its rundown take a few hundred ms. No execution context, so the
            // readers are nobody's request (their allocations and waits are not the app's).
            using (ExecutionContext.SuppressFlow())
            {
                ThreadPool.UnsafeQueueUserWorkItem(static _ => Open(), (object?)null, preferLocal: false);
            }
        }
    }

    private static void Open()
    {
        bool needSession, needPool, needTasks;
        lock (s_lock)
        {
            needSession = s_session is null;
            needPool = s_pool is null;
            needTasks = s_tasks is null && TasksWantedLocked();
        }

        WaitSession? session = null;
        PoolSession? pool = null;
        TaskWaitSession? tasks = null;
        try
        {
            if (Volatile.Read(ref FailNextStarts) > 0 && Interlocked.Decrement(ref FailNextStarts) >= 0)
            {
                throw new InvalidOperationException("The session was refused (test).");
            }

            session = needSession ? WaitSession.Start() : null;
            pool = needPool ? PoolSession.Start() : null;
            tasks = needTasks ? TaskWaitSession.Start() : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Diagnostics disabled (DOTNET_EnableDiagnostics=0), refused, or the runtime's session limit reached: the
            // panels list no waits and say so. Runs on a pool thread: an exception here would end the app.
            session?.Dispose();
            pool?.Dispose();
            session = null;
            pool = null;
            lock (s_lock)
            {
                LastStartError = ex.GetType().Name + ": " + ex.Message;
                s_retryAfter = Stopwatch.GetTimestamp() + (long)(RetryDelay.TotalSeconds * Stopwatch.Frequency);
            }
        }

        lock (s_lock)
        {
            s_starting = false;
            // Kept unless nobody needs them any more or a heap walk began meanwhile.
            if (s_users > 0 && !RuntimeSessionPause.Paused)
            {
                if (session is not null)
                {
                    s_session = session;
                    session = null;
                    s_starts++;
                    RequestThreadLog.AddSession();
                }

                if (pool is not null)
                {
                    s_pool = pool;
                    pool = null;
                }

                if (tasks is not null && TasksWantedLocked())
                {
                    s_tasks = tasks;
                    tasks = null;
                }
            }
        }

        session?.Dispose();
        pool?.Dispose();
        tasks?.Dispose();
    }

    private static void Stop(bool onlyIfUnused)
    {
        WaitSession? session;
        PoolSession? pool;
        TaskWaitSession? tasks;
        lock (s_lock)
        {
            if (onlyIfUnused && s_users > 0)
            {
                return;
            }

            (session, pool, tasks) = (s_session, s_pool, s_tasks);
            (s_session, s_pool, s_tasks) = (null, null, null);
            s_taskWaitSeen = false;
        }

        if (session is not null || pool is not null || tasks is not null)
        {
            // The last event of each stream is then later than every request that ended: a request's data read after
            // the stop (its marker is written at first read, when no reader listens any more) still counts as complete.
            WaitMarkerSource.Log.RequestEnded();
        }

        if (session is not null)
        {
            RequestThreadLog.RemoveSession();
            session.Dispose();
        }

        pool?.Dispose();
        tasks?.Dispose();
    }

    private static void StopForPause()
    {
        // A session still opening would run during the heap walk: wait until it opened (or gave up).
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            lock (s_lock)
            {
                if (!s_starting)
                {
                    break;
                }
            }

            Thread.Sleep(10);
        }

        Stop(onlyIfUnused: false);
    }
}
