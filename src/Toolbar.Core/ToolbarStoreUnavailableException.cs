namespace Toolbar;

/// <summary>
/// Thrown by an <see cref="IToolbarStore"/> when its backing service (e.g. Redis) cannot be reached.
/// The toolbar's endpoints answer it with <c>503</c> and a message the toolbar shows; the app's own
/// responses are never affected.
/// </summary>
public sealed class ToolbarStoreUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ToolbarStoreUnavailableException()
        : this("The toolbar's record store is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ToolbarStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public ToolbarStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
