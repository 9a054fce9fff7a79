using System.Diagnostics;
using Toolbar.Panels.Cpu;

namespace Toolbar.Panels.Threads;

/// <summary>
/// Which tracked request each OS thread ran, and when: the runtime reports a wait with the blocked thread's OS id and
/// a timestamp, tens or hundreds of milliseconds later, so the thread's recent history says whose wait it was. Each
/// thread keeps the last <see cref="Capacity"/> stretches it spent in a request's execution context in a ring of its
/// own; nothing is allocated per request or per hop (rings come from a spare stack filled outside any request, so the
/// memory panel never counts them as the app's).
/// </summary>
internal static class RequestThreadLog
{
    /// <summary>Stretches kept per thread: a wait is found while its thread has not hopped this many times since.</summary>
    public const int Capacity = 512;

    private const int SpareTarget = 32;

    [ThreadStatic]
    private static ThreadSlot? t_slot;

    private static ThreadSlot? s_all;
    private static ThreadSlot? s_spare;
    private static int s_spareCount;
    private static volatile bool s_on;
    private static int s_sessions;

    /// <summary>Whether threads note their stretches (only while a wait session listens).</summary>
    public static bool On => s_on;

    /// <summary>A wait session starts listening: threads note their stretches from now on.</summary>
    public static void AddSession()
    {
        FillSpares();
        s_on = Interlocked.Increment(ref s_sessions) > 0;
    }

    /// <summary>A wait session stopped: the last one turns the notes off.</summary>
    public static void RemoveSession()
    {
        s_on = Interlocked.Decrement(ref s_sessions) > 0;
        if (!s_on)
        {
            // Nobody reads the notes any more: let go of the requests (and sessions) they name.
            for (var slot = Volatile.Read(ref s_all); slot is not null; slot = slot.Next)
            {
                slot.Clear();
            }
        }
    }

    /// <summary>How many stretches the rings of all threads hold (tests: none once the last session stopped).</summary>
    public static int Held()
    {
        var held = 0;
        for (var slot = Volatile.Read(ref s_all); slot is not null; slot = slot.Next)
        {
            held += slot.Held();
        }

        return held;
    }

    /// <summary>Fills the spare stack (call outside any request: the rings are allocated here).</summary>
    public static void FillSpares()
    {
        while (Volatile.Read(ref s_spareCount) < SpareTarget)
        {
            Push(ref s_spare, new ThreadSlot());
            Interlocked.Increment(ref s_spareCount);
        }
    }

    /// <summary>The calling thread starts running <paramref name="owner"/>'s request.</summary>
    public static void Enter(ThreadsState owner)
    {
        if (!s_on)
        {
            return;
        }

        var slot = t_slot ?? Register();
        slot?.Open(owner, Stopwatch.GetTimestamp());
    }

    /// <summary>The calling thread stops running <paramref name="owner"/>'s request.</summary>
    public static void Leave(ThreadsState owner) => t_slot?.Close(owner, Stopwatch.GetTimestamp());

    /// <summary>The request <paramref name="threadId"/> ran at <paramref name="timestamp"/>, if a tracked one.</summary>
    public static ThreadsState? Find(ulong threadId, long timestamp, out bool threadPoolThread)
    {
        for (var slot = Volatile.Read(ref s_all); slot is not null; slot = slot.Next)
        {
            if (slot.ThreadId == threadId)
            {
                threadPoolThread = slot.ThreadPoolThread;
                return slot.Find(timestamp);
            }
        }

        threadPoolThread = false;
        return null;
    }

    private static ThreadSlot? Register()
    {
        // Pops a spare ring: no allocation on the request's thread. None left (a burst of new threads): the thread is
        // not logged this time, and the next session start refills.
        ThreadSlot? slot;
        do
        {
            slot = Volatile.Read(ref s_spare);
            if (slot is null)
            {
                return null;
            }
        }
        while (Interlocked.CompareExchange(ref s_spare, slot.Next, slot) != slot);

        Interlocked.Decrement(ref s_spareCount);
        slot.ThreadId = NativeThread.CurrentId;
        slot.ThreadPoolThread = Thread.CurrentThread.IsThreadPoolThread;
        Push(ref s_all, slot);
        t_slot = slot;
        if (Volatile.Read(ref s_spareCount) < SpareTarget / 2)
        {
            // Refilled off the request: no execution context, so the rings are nobody's allocation.
            ThreadPool.UnsafeQueueUserWorkItem(static _ => FillSpares(), null);
        }

        return slot;
    }

    private static void Push(ref ThreadSlot? head, ThreadSlot slot)
    {
        ThreadSlot? current;
        do
        {
            current = Volatile.Read(ref head);
            slot.Next = current;
        }
        while (Interlocked.CompareExchange(ref head, slot, current) != current);
    }

    private readonly record struct Stretch(ThreadsState? Owner, long Start, long End);

    private sealed class ThreadSlot
    {
        private readonly Lock _lock = new();
        private readonly Stretch[] _ring = new Stretch[Capacity];
        private long _count;

        public ThreadSlot? Next { get; set; }

        public ulong ThreadId { get; set; }

        public bool ThreadPoolThread { get; set; }

        public void Open(ThreadsState owner, long now)
        {
            lock (_lock)
            {
                _ring[_count % Capacity] = new Stretch(owner, now, long.MaxValue);
                _count++;
            }
        }

        public void Close(ThreadsState owner, long now)
        {
            lock (_lock)
            {
                if (_count > 0)
                {
                    ref var last = ref _ring[(_count - 1) % Capacity];
                    if (ReferenceEquals(last.Owner, owner) && last.End == long.MaxValue)
                    {
                        last = last with { End = now };
                    }
                }
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                Array.Clear(_ring);
                _count = 0;
            }
        }

        public int Held()
        {
            lock (_lock)
            {
                return (int)Math.Min(_count, Capacity);
            }
        }

        public ThreadsState? Find(long timestamp)
        {
            lock (_lock)
            {
                var oldest = Math.Max(0, _count - Capacity);
                for (var i = _count - 1; i >= oldest; i--)
                {
                    var stretch = _ring[i % Capacity];
                    if (stretch.Start <= timestamp)
                    {
                        return timestamp <= stretch.End ? stretch.Owner : null;
                    }
                }

                return null;
            }
        }
    }
}
