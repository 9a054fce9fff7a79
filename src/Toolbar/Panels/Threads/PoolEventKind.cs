namespace Toolbar.Panels.Threads;

/// <summary>What a <see cref="PoolEvent"/> reports.</summary>
internal enum PoolEventKind
{
    /// <summary>A worker thread started (the pool created it).</summary>
    ThreadStarted,

    /// <summary>A worker thread ended (idle too long).</summary>
    ThreadStopped,

    /// <summary>The pool's thread-count goal changed.</summary>
    Adjustment,
}
