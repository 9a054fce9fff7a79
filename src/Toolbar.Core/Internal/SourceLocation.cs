namespace Toolbar.Internal;

/// <summary>A position in a source file, as the PDB records it.</summary>
internal readonly record struct SourceLocation(string File, int Line, int Column);
