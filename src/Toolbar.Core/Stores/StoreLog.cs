using Microsoft.Extensions.Logging;

namespace Toolbar.Stores;

internal static partial class StoreLog
{
    [LoggerMessage(20, LogLevel.Error, "Debug toolbar: the distributed record store is unavailable ({Operation}). The app keeps serving; toolbar records are not kept until it is back. This is logged once per outage.")]
    public static partial void Unavailable(ILogger logger, string operation, Exception exception);

    [LoggerMessage(21, LogLevel.Information, "Debug toolbar: the distributed record store is available again ({Dropped} records were not kept meanwhile).")]
    public static partial void Recovered(ILogger logger, long dropped);

    [LoggerMessage(22, LogLevel.Warning, "Debug toolbar: {Dropped} records were not kept in the last {Seconds} s: the record store is slower than the app, so the oldest queued records gave way (queue of {Capacity}). Requests are not slowed down. This is logged at most once a minute.")]
    public static partial void Dropped(ILogger logger, long dropped, int seconds, int capacity);
}
