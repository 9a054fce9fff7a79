using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Diagnostics;
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
    [ThreadStatic]
    private static bool t_inHandler;

    private readonly AppCode _appCode;

    /// <summary>Creates the panel and starts listening for first-chance exceptions until the app stops.</summary>
    public ExceptionsPanel(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _appCode = services.GetRequiredService<AppCode>();
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
    public override IEnumerable<ToolbarMcpTool> GetMcpTools() => ExceptionsMcpTools.Create(Id);

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context) => context.GetState<ExceptionState>().Owner = this;

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var record = context.Record;
        var (seen, total) = record.FindState<ExceptionState>()?.Snapshot() ?? ([], 0);
        var failing = FailingException(context, seen);
        var statusCode = record.StatusCode;
        var requestFailed = record.Exception is not null || statusCode >= 500;
        var duration = record.DurationMs;
        context.Record.AddEstimatedBytes(seen.Length * 2048L);

        // Stacks are described (and source lines read from the PDBs) only when somebody looks at the panel.
        context.SetLazyData((this, seen, total, failing, statusCode, requestFailed, duration), static s =>
        {
            var (panel, seen, total, failing, statusCode, requestFailed, duration) = s;
            var data = new ExceptionsData
            {
                Total = total,
                Dropped = total - seen.Length,
                StatusCode = statusCode,
                RequestFailed = requestFailed,
            };

            var failingListed = false;
            foreach (var (exception, timestampMs) in seen)
            {
                if (!ReferenceEquals(exception, failing) && IsErrorPageOwn(exception))
                {
                    data.Total--;
                    continue;
                }

                var entry = panel.Describe(exception, depth: 0);
                entry.TimestampMs = Math.Round(timestampMs, 3);
                entry.Handled = !ReferenceEquals(exception, failing);
                failingListed |= !entry.Handled;
                data.Exceptions.Add(entry);
            }

            if (failing is not null && !failingListed)
            {
                // Thrown where the first-chance hook could not attribute it (or beyond the cap): still the reason the request failed.
                var entry = panel.Describe(failing, depth: 0);
                entry.Handled = false;
                entry.TimestampMs = Math.Round(duration, 3);
                data.Exceptions.Add(entry);
                data.Total++;
            }

            return data;
        });
    }

    /// <summary>
    /// The exception that ended in the error response, whoever caught it: the one that escaped the pipeline; else,
    /// for a 5xx, the one an exception handler (<c>UseExceptionHandler</c>, the developer exception page) reports,
    /// else the last exception thrown at the top of its chain (not the inner exception of a later one).
    /// </summary>
    private static Exception? FailingException(PanelContext context, (Exception Exception, double TimestampMs)[] seen)
    {
        if (context.Record.Exception is { } escaped)
        {
            return escaped;
        }

        if (context.Record.StatusCode < 500)
        {
            return null;
        }

        if (context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error is { } handled)
        {
            return handled;
        }

        for (var i = seen.Length - 1; i >= 0; i--)
        {
            var candidate = seen[i].Exception;
            if (IsErrorPageOwn(candidate))
            {
                // The developer exception page's own, thrown after the failure while it rendered it.
                continue;
            }

            var isInner = false;
            for (var j = i + 1; j < seen.Length && !isInner; j++)
            {
                isInner = IsInnerOf(candidate, seen[j].Exception);
            }

            if (!isInner)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the developer exception page threw and caught this itself while formatting a stack: it asks reflection
    /// for the attributes of every frame's method, which runtime-made methods (a minimal API's compiled lambda) refuse.
    /// The stack of a caught exception ends where it was caught.
    /// </summary>
    private static bool IsErrorPageOwn(Exception exception)
    {
        var frames = new StackTrace(exception, false).GetFrames();
        return frames.Length > 0
            && frames[^1].GetMethod()?.DeclaringType is { } catcher
            && catcher.Namespace == "Microsoft.Extensions.StackTrace.Sources"
            && catcher.Assembly == typeof(DeveloperExceptionPageMiddleware).Assembly;
    }

    private static bool IsInnerOf(Exception candidate, Exception outer)
    {
        for (var inner = outer.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (ReferenceEquals(inner, candidate))
            {
                return true;
            }
        }

        return outer is AggregateException aggregate && aggregate.InnerExceptions.Contains(candidate);
    }

    /// <inheritdoc />
    protected override object? Compare(ExceptionsData a, ExceptionsData b) => new
    {
        total = CompareFigure.Of(a.Total, b.Total),
        requestFailed = new { a = a.RequestFailed, b = b.RequestFailed },
    };

    /// <inheritdoc />
    protected override string? GetNavSubtitle(ExceptionsData data)
    {
        var unhandled = data.Exceptions.Count(e => !e.Handled);
        var handled = data.Total - unhandled;
        var parts = new List<string>(2);
        if (unhandled > 0)
        {
            parts.Add(unhandled.ToString(CultureInfo.InvariantCulture) + " failed the request");
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

    private ExceptionEntry Describe(Exception exception, int depth)
    {
        var entry = new ExceptionEntry
        {
            Type = exception.GetType().FullName ?? exception.GetType().Name,
            Message = exception.Message,
            Source = exception.Source,
        };

        // App code is decided by where a frame's method comes from (the app's own assemblies), one rule for every panel.
        foreach (var (frame, isApp) in _appCode.AllFrames(new StackTrace(exception, false)))
        {
            if (isApp)
            {
                var resolved = _appCode.Resolve(frame);
                entry.Frames.Add(resolved);
                entry.Stack.Add("at " + resolved);
                entry.FullStack.Add("at " + resolved);
            }
            else
            {
                entry.FullStack.Add("at " + _appCode.DescribeMethod(frame.Method));
            }
        }

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
