namespace Toolbar.Panels.Exceptions;

/// <summary>Data of the exceptions panel: every exception thrown while the request ran, handled or not.</summary>
public sealed class ExceptionsData
{
    /// <summary>Exceptions in the order they were first thrown.</summary>
    public List<ExceptionEntry> Exceptions { get; set; } = [];

    /// <summary>Distinct exceptions thrown, including those beyond the per-request cap.</summary>
    public int Total { get; set; }

    /// <summary>Exceptions thrown but not kept because the per-request cap was reached.</summary>
    public int Dropped { get; set; }

    /// <summary>Whether the request failed: an exception escaped the app or the status is 500 or above.</summary>
    public bool RequestFailed { get; set; }

    /// <summary>Response status code.</summary>
    public int StatusCode { get; set; }
}
