namespace Toolbar.Panels.Exceptions;

/// <summary>One exception thrown during the request.</summary>
public sealed class ExceptionEntry
{
    /// <summary>Full type name.</summary>
    public string Type { get; set; } = "";

    /// <summary>Exception message.</summary>
    public string Message { get; set; } = "";

    /// <summary>Stack frames of the app's own code only (see <see cref="AppCode"/>), with <c>file:line</c> when the PDB has them.</summary>
    public List<string> Stack { get; set; } = [];

    /// <summary>The app's frames of <see cref="Stack"/> with file, line, column and editor link.</summary>
    public List<CodeFrame> Frames { get; set; } = [];

    /// <summary>Every stack frame.</summary>
    public List<string> FullStack { get; set; } = [];

    /// <summary>
    /// <c>false</c> for the exception that failed the request (ended in the error response), whoever caught it:
    /// the app's pipeline, the developer exception page or an exception handler; <c>true</c> for the others.
    /// </summary>
    public bool Handled { get; set; } = true;

    /// <summary>Assembly or application that raised it (<see cref="System.Exception.Source"/>).</summary>
    public string? Source { get; set; }

    /// <summary>Milliseconds from the request start to the first throw.</summary>
    public double TimestampMs { get; set; }

    /// <summary>Inner exceptions, outermost first (flattened; an aggregate's children are listed in order).</summary>
    public List<ExceptionEntry> InnerExceptions { get; set; } = [];
}
