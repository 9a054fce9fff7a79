using Microsoft.Extensions.Logging;

namespace Toolbar.Panels.Logs;

/// <summary>
/// Feeds every <c>ILogger</c> record written on a tracked request's execution context (also from work
/// the request started, e.g. <c>Task.Run</c>) to that request's logs panel. Configure its levels under
/// <c>Logging:Toolbar</c>; the app's general filters apply otherwise.
/// </summary>
[ProviderAlias("Toolbar")]
internal sealed class ToolbarLoggerProvider(LogSink sink, AppCode appCode) : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider? _scopes;

    private LogSink Sink => sink;

    private readonly AppCode _appCode = appCode;

    public ILogger CreateLogger(string categoryName) => new ToolbarLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>The state of the current request's logs panel, or <c>null</c> when the request is not tracked.</summary>
    internal static LogState? CurrentState(LogSink sink)
    {
        var record = RequestRecord.Current;
        var panel = sink.Panel;
        if (record is null || panel is null)
        {
            return null;
        }

        var state = record.FindState<LogState>();
        return state is not null && ReferenceEquals(state.Owner, panel) ? state : null;
    }

    private sealed class ToolbarLogger(ToolbarLoggerProvider provider, string category) : ILogger
    {
        /// <summary>The innermost app frame that logged (method and IL offset only; file and line are read when the panel is opened).</summary>
        private CapturedFrame? CallSite()
        {
            var frames = provider._appCode.AppFrames(new System.Diagnostics.StackTrace(2, false), max: 1);
            return frames.Count > 0 ? frames[0] : null;
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes?.Push(state);

        // Cheap: untracked requests (and startup) are one AsyncLocal read away from doing nothing.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && RequestRecord.Current is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.None || CurrentState(provider.Sink) is not { } target)
            {
                return;
            }

            try
            {
                List<string>? scopes = null;
                var masker = provider.Sink.Panel?.Masker;
                provider._scopes?.ForEachScope(
                    static (scope, s) => s.List.Add(MaskPlaceholders(Convert.ToString(scope, System.Globalization.CultureInfo.InvariantCulture) ?? "", scope, s.Masker)),
                    (List: scopes = [], Masker: masker));
                var record = RequestRecord.Current!;
                var message = MaskPlaceholders(formatter(state, exception), state, masker);
                target.Add(new RawLog(logLevel, category, message, eventId, scopes is { Count: > 0 } ? scopes : null,
                    exception, record.ElapsedMs, Environment.CurrentManagedThreadId, CallSite()));
            }
            catch (Exception)
            {
                // A logger must never fail the code that logs; a record that cannot be captured is skipped.
            }
        }

        /// <summary>
        /// The formatted text with the values of secret-named placeholders ("{Password}", "{ApiKey}") masked: the
        /// message alone no longer says which part was the password, its structured state does.
        /// </summary>
        private static string MaskPlaceholders(string text, object? state, SecretMasker? masker)
        {
            if (masker is null || state is not IReadOnlyList<KeyValuePair<string, object?>> values || text.Length == 0)
            {
                return text;
            }

            for (var i = 0; i < values.Count; i++)
            {
                var (name, value) = values[i];
                if (value is null || name == "{OriginalFormat}" || !masker.IsSecret(name))
                {
                    continue;
                }

                var shown = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                if (!string.IsNullOrEmpty(shown))
                {
                    text = text.Replace(shown, SecretMasker.Mask, StringComparison.Ordinal);
                }
            }

            return text;
        }
    }
}
