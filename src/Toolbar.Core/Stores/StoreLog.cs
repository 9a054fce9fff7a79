using Microsoft.Extensions.Logging;

namespace Toolbar.Stores;

internal static partial class StoreLog
{
    [LoggerMessage(20, LogLevel.Error, "Debug toolbar: the distributed record store is unavailable ({Operation}). The app keeps serving; toolbar records are not kept until it is back. This is logged once per outage.")]
    public static partial void Unavailable(ILogger logger, string operation, Exception exception);

    [LoggerMessage(21, LogLevel.Information, "Debug toolbar: the distributed record store is available again ({Dropped} records were not kept meanwhile).")]
    public static partial void Recovered(ILogger logger, long dropped);
}
