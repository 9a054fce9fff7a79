using System.Runtime.ExceptionServices;

namespace Toolbar.Internal;

/// <summary>The exception that escaped the app, handed to the developer exception page the toolbar runs for it.</summary>
internal sealed record EscapedException(ExceptionDispatchInfo Info);
