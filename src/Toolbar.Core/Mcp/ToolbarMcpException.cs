namespace Toolbar;

/// <summary>
/// Thrown by a <see cref="ToolbarMcpTool"/> for a failure the agent should read and can act on (a bad argument, an
/// unknown record): the MCP endpoint answers with a tool result marked as an error that carries the message.
/// </summary>
public sealed class ToolbarMcpException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and, where it helps, what to do instead.</param>
    public ToolbarMcpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ToolbarMcpException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ToolbarMcpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
