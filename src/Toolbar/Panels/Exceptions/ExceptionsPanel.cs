using System.Globalization;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Toolbar.Panels.Exceptions;

/// <summary>
/// The exceptions panel: every exception thrown on the request's execution context (first-chance, so
/// also the ones the app caught), plus the one that escaped the pipeline; stacks trimmed to app code.
/// The nav turns red when the request failed.
/// </summary>
public sealed class ExceptionsPanel : ToolbarPanel<ExceptionsData>
{
    // Frames of these namespaces are framework or toolbar plumbing, not the app's code.
    private static readonly string[] s_frameworkPrefixes =
        ["System.", "Microsoft.", "Toolbar.Internal.", "Toolbar.Panels.", "lambda_method", "Interop."];

    [ThreadStatic]
    private static bool t_inHandler;

    /// <summary>Creates the panel and starts listening for first-chance exceptions until the app stops.</summary>
    public ExceptionsPanel(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChanceException;
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(
            () => AppDomain.CurrentDomain.FirstChanceException -= OnFirstChanceException);
    }

    /// <inheritdoc />
    public override string Id => "exceptions";

    /// <inheritdoc />
    public override string Title => "Exceptions";

    /// <inheritdoc />
    public override Type? ViewType => typeof(ExceptionsPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets => [PanelAsset.Embedded<ExceptionsPanel>("exceptions.css", "Toolbar.Panels.exceptions.css")];

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context) => context.GetState<ExceptionState>().Owner = this;

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var record = context.Record;
        var (seen, total) = record.FindState<ExceptionState>()?.Snapshot() ?? ([], 0);
        var unhandled = record.Exception;
        var data = new ExceptionsData
        {
            Total = total,
            Dropped = total - seen.Length,
            StatusCode = record.StatusCode,
            RequestFailed = unhandled is not null || record.StatusCode >= 500,
        };

        var unhandledListed = false;
        foreach (var (exception, timestampMs) in seen)
        {
            var entry = Describe(exception, depth: 0);
            entry.TimestampMs = Math.Round(timestampMs, 3);
            entry.Handled = !ReferenceEquals(exception, unhandled);
            unhandledListed |= !entry.Handled;
            data.Exceptions.Add(entry);
        }

        if (unhandled is not null && !unhandledListed)
        {
            // Thrown where the first-chance hook could not attribute it (or beyond the cap): still the reason the request failed.
            var entry = Describe(unhandled, depth: 0);
            entry.Handled = false;
            entry.TimestampMs = Math.Round(record.DurationMs, 3);
            data.Exceptions.Add(entry);
            data.Total++;
        }

        context.Record.AddEstimatedBytes(data.Exceptions.Sum(e => 256L + (2L * e.FullStack.Sum(f => f.Length))));
        context.SetData(data);
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(ExceptionsData data)
    {
        var unhandled = data.Exceptions.Count(e => !e.Handled);
        var handled = data.Total - unhandled;
        var parts = new List<string>(2);
        if (unhandled > 0)
        {
            parts.Add(unhandled.ToString(CultureInfo.InvariantCulture) + " unhandled");
        }

        if (handled > 0)
        {
            parts.Add(handled.ToString(CultureInfo.InvariantCulture) + " handled");
        }

        return parts.Count > 0 ? string.Join(", ", parts) : data.RequestFailed ? "request failed" : null;
    }

    /// <inheritdoc />
    protected override PanelStatus GetStatus(ExceptionsData data) =>
        data.RequestFailed ? PanelStatus.Error : data.Total > 0 ? PanelStatus.Warning : PanelStatus.Normal;

    /// <summary>Splits a stack trace into frames and picks the app's own frames.</summary>
    internal static (List<string> User, List<string> All) SplitStack(string? stackTrace)
    {
        var all = new List<string>();
        var user = new List<string>();
        if (string.IsNullOrEmpty(stackTrace))
        {
            return (user, all);
        }

        foreach (var rawLine in stackTrace.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            all.Add(line);
            if (line.StartsWith("at ", StringComparison.Ordinal) && !IsFrameworkFrame(line.AsSpan(3)))
            {
                user.Add(line);
            }
        }

        return (user.Count > 0 ? user : all, all);
    }

    private static bool IsFrameworkFrame(ReadOnlySpan<char> method)
    {
        foreach (var prefix in s_frameworkPrefixes)
        {
            if (method.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static ExceptionEntry Describe(Exception exception, int depth)
    {
        var (user, all) = SplitStack(exception.StackTrace);
        var entry = new ExceptionEntry
        {
            Type = exception.GetType().FullName ?? exception.GetType().Name,
            Message = exception.Message,
            Source = exception.Source,
            Stack = user,
            FullStack = all,
        };

        // Inner exceptions are shown nested; a bound keeps a pathological chain from blowing up the record.
        if (depth < 8)
        {
            if (exception is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Take(16))
                {
                    entry.InnerExceptions.Add(Describe(inner, depth + 1));
                }
            }
            else if (exception.InnerException is { } inner)
            {
                entry.InnerExceptions.Add(Describe(inner, depth + 1));
            }
        }

        return entry;
    }

    private void OnFirstChanceException(object? sender, FirstChanceExceptionEventArgs e)
    {
        // Runs on every throw in the process: one AsyncLocal read when no tracked request is running,
        // and never re-entered by an exception thrown while recording one.
        if (t_inHandler)
        {
            return;
        }

        var record = RequestRecord.Current;
        if (record is null || record.IsFinished)
        {
            return;
        }

        t_inHandler = true;
        try
        {
            if (record.FindState<ExceptionState>() is { } state && ReferenceEquals(state.Owner, this))
            {
                state.Add(e.Exception, record.ElapsedMs);
            }
        }
        catch (Exception)
        {
            // The app's own exception handling must not be disturbed by the toolbar.
        }
        finally
        {
            t_inHandler = false;
        }
    }
}
