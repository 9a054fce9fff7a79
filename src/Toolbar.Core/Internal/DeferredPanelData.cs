namespace Toolbar;

/// <summary>
/// Panel data not built yet (see <see cref="PanelContext.SetLazyData{TData}"/>). Built once, on first read, under this
/// entry's own monitor rather than the record's lock: a builder may wait seconds for its events (the threads panel
/// does), and the record's other panels stay readable meanwhile. Readers of this panel on other threads wait for the
/// build; the builder itself, reading its own panel, gets no data instead of starting again.
/// </summary>
internal abstract class DeferredPanelData
{
    private object? _value;
    private bool _building;
    private volatile bool _done;

    /// <summary>Runs the panel's builder.</summary>
    public abstract object? Build();

    /// <summary>
    /// The built data (building it now if nobody has yet); <paramref name="built"/> is <c>false</c> only for the builder's
    /// own re-entrant read, which gets <c>null</c>.
    /// </summary>
    public object? GetOrBuild(RequestRecord record, string panelId, out bool built)
    {
        built = true;
        if (_done)
        {
            return _value;
        }

        lock (this)
        {
            if (_done)
            {
                return _value;
            }

            if (_building)
            {
                built = false;
                return null;
            }

            _building = true;
            try
            {
                // A failing builder gives null and records its error (RunBuilder); only a builder that could not even
                // run to that point (out of memory) leaves the entry to be tried again by the next reader.
                _value = record.RunBuilder(panelId, this);
                _done = true;
            }
            finally
            {
                _building = false;
            }

            return _value;
        }
    }
}
