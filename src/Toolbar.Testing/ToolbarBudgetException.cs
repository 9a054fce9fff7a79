namespace Toolbar.Testing;

/// <summary>A <see cref="ToolbarBudget"/> did not hold; the message is the full report.</summary>
public sealed class ToolbarBudgetException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The report.</param>
    public ToolbarBudgetException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ToolbarBudgetException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The report.</param>
    /// <param name="innerException">The cause.</param>
    public ToolbarBudgetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
