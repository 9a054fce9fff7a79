using Microsoft.AspNetCore.Http;

namespace Toolbar;

/// <summary>
/// What a panel hook gets: the request, its record and the panel's own place in it. A value passed to each hook (nothing
/// is allocated for it per request and panel); copies are equal and may be kept for the duration of the request.
/// </summary>
public readonly struct PanelContext
{
    internal PanelContext(HttpContext httpContext, RequestRecord record, ToolbarPanel panel)
    {
        HttpContext = httpContext;
        Record = record;
        Panel = panel;
    }

    /// <summary>The tracked request.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The request's record.</summary>
    public RequestRecord Record { get; }

    /// <summary>The panel the hook belongs to.</summary>
    public ToolbarPanel Panel { get; }

    /// <summary>
    /// The panel's per-request collector state (created on first use): the same object that
    /// <see cref="RequestRecord.GetState{TState}"/> and <see cref="RequestRecord.FindState{TState}"/> return for
    /// this record, so the panel's collectors find it through <see cref="RequestRecord.Current"/>.
    /// </summary>
    /// <typeparam name="TState">The panel's own state type.</typeparam>
    public TState GetState<TState>() where TState : class, new() => Record.GetState<TState>();

    /// <summary>Stores the panel's data for this request.</summary>
    public void SetData(object? data)
    {
        if (data is not null)
        {
            EnsureDataType(data.GetType(), nameof(data));
        }

        Record.SetPanelData(Panel.Id, data);
    }

    /// <summary>
    /// Stores the panel's data as a function that builds it on first read (the panel is opened, the record is
    /// listed, serialized or read with <see cref="RequestRecord.GetPanelData{TData}"/>): keep the raw facts
    /// while the request runs, compute only for the records somebody looks at. Most records are never opened,
    /// so this is what keeps a panel's cost near zero under load.
    /// </summary>
    /// <remarks>
    /// <paramref name="build"/> runs at most once, on whatever thread reads the record first: usually long after the
    /// request, but possibly while its last bytes are still being sent, or at once when the store serializes
    /// records. It must use only what it captured, never <see cref="HttpContext"/> (which the server reuses) or
    /// values the app may still change, nor the record's other panel data (two builders reading each other's would wait
    /// for each other). Readers of the panel on other threads wait for it; a read of its own entry from inside it gives
    /// <c>null</c>. If it throws, the panel shows the error and has no data; the app is never affected.
    /// </remarks>
    /// <typeparam name="TData">The panel's data type.</typeparam>
    /// <param name="build">Builds the data from the captured raw facts.</param>
    public void SetLazyData<TData>(Func<TData?> build) where TData : class
    {
        ArgumentNullException.ThrowIfNull(build);
        EnsureDataType(typeof(TData), nameof(build));
        Record.SetPanelData(Panel.Id, new DeferredPanelData<Func<TData?>, TData>(build, static build => build()));
    }

    /// <summary>
    /// Like <see cref="SetLazyData{TData}(Func{TData})"/>, with the raw facts passed as <paramref name="state"/>: with a
    /// <c>static</c> lambda nothing is allocated for the builder (no closure, no delegate), which matters for a panel
    /// that is on for every request.
    /// </summary>
    /// <typeparam name="TState">What the builder needs (a state object, or a tuple of values).</typeparam>
    /// <typeparam name="TData">The panel's data type.</typeparam>
    /// <param name="state">The raw facts, passed to <paramref name="build"/>.</param>
    /// <param name="build">Builds the data from <paramref name="state"/>; make it <c>static</c>.</param>
    public void SetLazyData<TState, TData>(TState state, Func<TState, TData?> build) where TData : class
    {
        ArgumentNullException.ThrowIfNull(build);
        EnsureDataType(typeof(TData), nameof(build));
        Record.SetPanelData(Panel.Id, new DeferredPanelData<TState, TData>(state, build));
    }

    /// <summary>
    /// Stores a shared snapshot as the panel's whole data for this request (e.g. the app's configuration, the same for
    /// every request until it reloads). Readers see <see cref="SharedSnapshot{T}.Value"/> exactly as with
    /// <see cref="SetData"/>; stores keep the snapshot once for all the records that share it (see
    /// <see cref="SharedSnapshot"/>). Reuse one snapshot instance for as long as the value stays the same.
    /// </summary>
    /// <typeparam name="TData">The panel's data type.</typeparam>
    /// <param name="snapshot">The shared data.</param>
    public void SetSharedData<TData>(SharedSnapshot<TData> snapshot) where TData : class
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        EnsureDataType(typeof(TData), nameof(snapshot));
        Record.SetSharedPanelData(Panel.Id, snapshot);
    }

    /// <summary>
    /// Tells the record that the panel's data holds <paramref name="snapshot"/> (a <see cref="SharedSnapshot{T}"/>
    /// property of the data, possibly built later by <see cref="SetLazyData{TData}(Func{TData})"/>), so that the
    /// in-memory store counts its bytes once for all the records that share it. Call it for every snapshot the data
    /// holds; <see cref="SetSharedData{TData}"/> does it for you.
    /// </summary>
    /// <param name="snapshot">A snapshot the panel's data for this request refers to.</param>
    public void AddSharedSnapshot(SharedSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Record.AddSharedSnapshot(snapshot);
    }

    private void EnsureDataType(Type type, string parameterName)
    {
        if (!Panel.DataType.IsAssignableFrom(type))
        {
            throw new ArgumentException($"Panel '{Panel.Id}' must store {Panel.DataType}, not {type}.", parameterName);
        }
    }
}
