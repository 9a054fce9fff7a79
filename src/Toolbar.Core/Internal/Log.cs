using Microsoft.Extensions.Logging;

namespace Toolbar.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "Debug toolbar: panel '{PanelId}' failed in {Hook}; the page is served without it.")]
    public static partial void PanelFailed(ILogger logger, string panelId, string hook, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Debug toolbar is enabled in the '{Environment}' environment with a custom ShowToolbar predicate. It shows request data, SQL and configuration: make sure the predicate admits only developers.")]
    public static partial void EnabledOutsideDevelopment(ILogger logger, string environment);

    [LoggerMessage(4, LogLevel.Warning, "Debug toolbar: an HTML response reached the toolbar already compressed, so the toolbar cannot be injected. Call app.UseResponseCompression() before app.UseDebugToolbar().")]
    public static partial void CompressedBeforeToolbar(ILogger logger);

    [LoggerMessage(5, LogLevel.Error, "Debug toolbar: the record store failed ({Operation}); the app keeps running without toolbar history.")]
    public static partial void StoreFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "Debug toolbar: the access predicate threw; the toolbar is hidden for {Path}.")]
    public static partial void AccessPredicateFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(7, LogLevel.Error, "Debug toolbar: panel {PanelType} could not be created and is left out of the toolbar; the app keeps running.")]
    public static partial void PanelCreateFailed(ILogger logger, string panelType, Exception exception);

    [LoggerMessage(8, LogLevel.Error, "Debug toolbar: toolbar endpoint {Path} failed; answered 500.")]
    public static partial void EndpointFailed(ILogger logger, string path, Exception exception);
}
