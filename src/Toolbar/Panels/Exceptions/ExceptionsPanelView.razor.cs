namespace Toolbar.Panels.Exceptions;

/// <summary>Renders <see cref="ExceptionsData"/>: each exception with its message, app frames and inner exceptions.</summary>
public partial class ExceptionsPanelView
{
}
