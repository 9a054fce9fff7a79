namespace Toolbar;

/// <summary>
/// One frame of the app's own code as the toolbar shows it: the method, and, once resolved from the app's
/// portable PDB, the source file, line and column with a link that opens it in the editor
/// (<see cref="ToolbarOptions.EditorUrl"/>). Made by <see cref="AppCode.Resolve(CapturedFrame)"/>.
/// </summary>
public sealed class CodeFrame
{
    /// <summary><c>Namespace.Type.Method</c>, with compiler-generated async and lambda types folded into the method that wrote them.</summary>
    public string Method { get; set; } = "";

    /// <summary>Source file path from the PDB, or <c>null</c> when the assembly has no (portable) PDB.</summary>
    public string? File { get; set; }

    /// <summary>1-based source line, or <c>null</c> when unknown.</summary>
    public int? Line { get; set; }

    /// <summary>1-based source column, or <c>null</c> when unknown.</summary>
    public int? Column { get; set; }

    /// <summary>The editor link (<see cref="ToolbarOptions.EditorUrl"/> filled in), or <c>null</c> when the file is unknown.</summary>
    public string? EditorUrl { get; set; }

    /// <summary><c>Method</c>, followed by <c>file:line</c> when known.</summary>
    public override string ToString() => File is null ? Method : $"{Method} in {File}:{Line}";
}
