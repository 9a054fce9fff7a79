namespace Toolbar.Panels.Exceptions;

/// <summary>One exception thrown during the request.</summary>
public sealed class ExceptionEntry
{
    /// <summary>Full type name.</summary>
    public string Type { get; set; } = "";

    /// <summary>Exception message.</summary>
    public string Message { get; set; } = "";

    /// <summary>Stack frames of application code (framework and toolbar frames left out); all frames when none is the app's.</summary>
    public List<string> Stack { get; set; } = [];

    /// <summary>Every stack frame.</summary>
    public List<string> FullStack { get; set; } = [];

    /// <summary>Whether the app caught it (<c>false</c>: it escaped the app's pipeline and failed the request).</summary>
    public bool Handled { get; set; } = true;

    /// <summary>Assembly or application that raised it (<see cref="System.Exception.Source"/>).</summary>
    public string? Source { get; set; }

    /// <summary>Milliseconds from the request start to the first throw.</summary>
    public double TimestampMs { get; set; }

    /// <summary>Inner exceptions, outermost first (flattened; an aggregate's children are listed in order).</summary>
    public List<ExceptionEntry> InnerExceptions { get; set; } = [];
}
