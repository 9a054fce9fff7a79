using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Toolbar.Internal;

/// <summary>
/// Tracks allowed requests: creates the ambient <see cref="RequestRecord"/>, runs the panels' hooks,
/// adds the toolbar headers and injects the toolbar into HTML responses. A request the access
/// policy refuses costs one predicate call; toolbar URLs are 404 for it.
/// </summary>
internal sealed class ToolbarMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ToolbarRuntime _runtime;
    private readonly ToolbarAccess _access;
    private readonly IToolbarStore _store;
    private readonly SecretMasker _masker;
    private readonly ILogger _logger;
    private readonly PathString _prefix;
    private readonly Action<string, Exception> _onLazyDataFailure;
    private int _compressionWarned;

    private readonly RequestDelegate? _developerPage;

    public ToolbarMiddleware(RequestDelegate next, ToolbarRuntime runtime, ToolbarAccess access, IToolbarStore store, SecretMasker masker, ILogger<ToolbarMiddleware> logger, DeveloperPage developerPage)
    {
        _masker = masker;
        _developerPage = developerPage.Handler;
        _next = next;
        _runtime = runtime;
        _access = access;
        _store = store;
        _logger = logger;
        _prefix = new PathString(runtime.Prefix);
        _onLazyDataFailure = (panelId, ex) => Log.PanelFailed(_logger, panelId, "building data", ex);
    }

    public Task Invoke(HttpContext context)
    {
        var allowed = IsAllowed(context);
        if (context.Request.Path.StartsWithSegments(_prefix))
        {
            // The toolbar's own URLs are never tracked, and do not exist for anyone not allowed.
            if (!allowed)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            // Run our own endpoint here: a later middleware of the app (auth, app.Run, rewrites) must not hide the toolbar.
            if (context.GetEndpoint() is { RequestDelegate: { } handler } endpoint
                && endpoint.Metadata.GetMetadata<ToolbarEndpointMetadata>() is not null)
            {
                return RunToolbarEndpointAsync(context, endpoint, handler);
            }

            // Routing refused it (415 for a wrong content type, 405 for a wrong method): still a ProblemDetails.
            return RunRefusedToolbarRequestAsync(context);
        }

        return allowed ? InvokeTrackedAsync(context) : _next(context);
    }

    /// <summary>
    /// Runs a toolbar endpoint with the rules that hold for every one of them, whatever shape a panel
    /// mapped it in (a plain <see cref="RequestDelegate"/> gets no endpoint filters): state-changing
    /// methods need the <c>X-Toolbar-Request</c> header, and a failure is a logged 500 from the toolbar,
    /// never an exception that escapes into the app's pipeline.
    /// </summary>
    private async Task RunToolbarEndpointAsync(HttpContext context, Endpoint endpoint, RequestDelegate handler)
    {
        if (ToolbarEndpointPolicy.LacksIntent(context, endpoint))
        {
            await ToolbarEndpointPolicy.MissingIntent().ExecuteAsync(context);
            return;
        }

        if (ToolbarEndpointPolicy.Prepare(context, endpoint) is { } refused)
        {
            await refused.ExecuteAsync(context);
            return;
        }

        try
        {
            await handler(context);
            await ProblemForBareErrorAsync(context);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            var failure = ToolbarEndpointPolicy.Failure(context, ex, endpoint.Metadata.GetMetadata<PanelEndpointMarker>()?.PanelId, _logger);
            if (context.Response.HasStarted)
            {
                // Part of the answer is out; all we can do is end it. The log has the cause.
                return;
            }

            context.Response.Clear();
            await failure.ExecuteAsync(context);
        }
    }

    private async Task RunRefusedToolbarRequestAsync(HttpContext context)
    {
        await _next(context);
        await ProblemForBareErrorAsync(context);
    }

    /// <summary>An error the framework answered with a bare status (no body yet) becomes a ProblemDetails.</summary>
    private static Task ProblemForBareErrorAsync(HttpContext context) =>
        !context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentType is null
            ? ToolbarEndpointPolicy.Problem(context.Response.StatusCode, ReasonPhrases.GetReasonPhrase(context.Response.StatusCode)).ExecuteAsync(context)
            : Task.CompletedTask;

    private bool IsAllowed(HttpContext context)
    {
        try
        {
            return _access.IsAllowed(context);
        }
        catch (Exception ex)
        {
            Log.AccessPredicateFailed(_logger, context.Request.Path, ex);
            return false;
        }
    }

    private async Task InvokeTrackedAsync(HttpContext context)
    {
        var request = context.Request;
        var panels = _runtime.Panels;
        // Masked before anything keeps it: the list, the nav, History and the header line all read this one value.
        var record = new RequestRecord(request.Method, request.PathBase + request.Path, _masker.MaskQueryString(request.QueryString.Value ?? ""), panels)
        {
            IsAjax = IsScriptRequest(request),
            OnLazyDataFailure = _onLazyDataFailure,
        };
        RequestRecord.Enter(record, context);
        RunHooks(context, record, Hook.Started);
        var tracked = new TrackedRequest(this, context, record);
        context.Response.OnStarting(TrackedRequest.OnStarting, tracked);

        var originalBody = context.Features.Get<IHttpResponseBodyFeature>()!;
        var body = new InjectingBody(context, originalBody, tracked.Snippet);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        var failed = false;
        try
        {
            await _next(context);
        }
        catch (Exception ex)
        {
            failed = true;
            record.Exception = ex;
            if (_developerPage is not null && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested
                && await RenderDeveloperPageAsync(context, ex))
            {
                // The developer exception page (the one the app shows in Development) ran inside the toolbar: its log
                // record belongs to this request, and its HTML gets the toolbar, opened on the exceptions panel.
            }
            else
            {
                if (context.Response.HasStarted)
                {
                    // Part of the page is out: what the app wrote is still its own (an outer handler may complete the response).
                    await body.ReleaseHeldAsync();
                }
                else
                {
                    body.Abandon();
                }

                throw;
            }
        }
        finally
        {
            context.Features.Set(originalBody);
            await FinishRecordAsync(context, record, failed);
        }

        if (body.SawEncodedHtml && Interlocked.Exchange(ref _compressionWarned, 1) == 0)
        {
            Log.CompressedBeforeToolbar(_logger);
        }

        // The record is stored before the last bytes (and the snippet) leave, so the toolbar can always load it.
        try
        {
            await body.FinishAsync(context.RequestAborted);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client is gone: the tail has nowhere to go, and the app (which finished normally) must not see our failure.
            body.Abandon();
        }

        if (context.Response.HasStarted)
        {
            // Raw collector state is no longer needed once the data is final and the headers are out.
            record.ReleaseStates();
        }
    }

    private async Task<bool> RenderDeveloperPageAsync(HttpContext context, Exception exception)
    {
        try
        {
            context.Response.Clear();
            context.Features.Set(new EscapedException(ExceptionDispatchInfo.Capture(exception)));
            await _developerPage!(context);
            return true;
        }
        catch (Exception pageFailure) when (!ReferenceEquals(pageFailure, exception))
        {
            Log.EndpointFailed(_logger, context.Request.Path, pageFailure);
            return false;
        }
        catch (Exception)
        {
            // The page declined to handle it (it rethrows when the response had started): the app's own handling goes on.
            return false;
        }
    }

    private async Task FinishRecordAsync(HttpContext context, RequestRecord record, bool failed)
    {
        try
        {
            var response = context.Response;
            record.StatusCode = failed && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
            record.ContentType = response.ContentType;
            GrpcOutcome.Read(context, record);
            record.DurationMs = record.ElapsedMs;
            record.IsAsset = !failed && AssetClassifier.IsAsset(context, response.ContentType);
            RunHooks(context, record, Hook.Finished);
            record.IsFinished = true;
            if (record.IsAsset && !_runtime.Options.StoreAssets)
            {
                // A page's hundred files must not push the page (and its fetch calls) out of the store.
                return;
            }

            await _store.AddAsync(record);
        }
        catch (Exception ex)
        {
            Log.StoreFailed(_logger, "add", ex);
        }
    }

    private enum Hook
    {
        Started,
        Finished,
    }

    // Each panel's context is a value made for the call: nothing is allocated per panel and request.
    private void RunHooks(HttpContext context, RequestRecord record, Hook hook)
    {
        var panels = _runtime.Panels;
        for (var i = 0; i < panels.Count; i++)
        {
            var panel = panels[i];
            var ctx = new PanelContext(context, record, panel);
            try
            {
                if (hook == Hook.Started)
                {
                    panel.OnRequestStarted(ctx);
                }
                else
                {
                    panel.OnRequestFinished(ctx);
                }
            }
            catch (Exception ex)
            {
                var hookName = hook == Hook.Started ? nameof(ToolbarPanel.OnRequestStarted) : nameof(ToolbarPanel.OnRequestFinished);
                Log.PanelFailed(_logger, panel.Id, hookName, ex);
                RecordPanelError(ctx, hookName, ex);
            }
        }
    }

    private static void RecordPanelError(PanelContext ctx, string hookName, Exception ex) =>
        ctx.Record.AddPanelError(ctx.Panel.Id, $"{hookName}: {ex.GetType().Name}: {ex.Message}");

    private void AddHeaders(HttpContext context, RequestRecord record)
    {
        var headers = context.Response.Headers;
        if (_runtime.Options.StoreAssets || !AssetClassifier.IsAsset(context, context.Response.ContentType))
        {
            // An asset that will not be stored gets no id that would lead nowhere.
            headers["X-Toolbar-Id"] = record.Id;
        }

        var timing = new ServerTimingBuilder();
        timing.Add("total", record.ElapsedMs, "Server time until response start");
        var panels = _runtime.Panels;
        for (var i = 0; i < panels.Count; i++)
        {
            var panel = panels[i];
            var ctx = new PanelContext(context, record, panel);
            try
            {
                panel.OnResponseStarting(ctx, timing);
            }
            catch (Exception ex)
            {
                Log.PanelFailed(_logger, ctx.Panel.Id, nameof(ToolbarPanel.OnResponseStarting), ex);
                RecordPanelError(ctx, nameof(ToolbarPanel.OnResponseStarting), ex);
            }
        }

        headers.Append("Server-Timing", timing.Finish());
    }

    private ReadOnlyMemory<byte> BuildSnippet(HttpContext context, string id)
    {
        var prefix = HtmlEncoder.Default.Encode(context.Request.PathBase + _runtime.Prefix);
        var open = context.Features.Get<EscapedException>() is not null ? " data-toolbar-open=\"exceptions\"" : "";
        var html = $"<div id=\"toolbar-root\" data-toolbar-id=\"{id}\" data-toolbar-prefix=\"{prefix}\"{open}></div>"
            + $"<script src=\"{prefix}/assets/toolbar.js\" data-toolbar-prefix=\"{prefix}\"{PageSecurityPolicy.ScriptAttributes(context.Response.Headers)} defer></script>";
        return Encoding.UTF8.GetBytes(html);
    }

    /// <summary>One tracked request's parts, handed to the response callbacks as one object (no closures per request).</summary>
    private sealed class TrackedRequest(ToolbarMiddleware middleware, HttpContext context, RequestRecord record)
    {
        public static readonly Func<object, Task> OnStarting = static state =>
        {
            ((TrackedRequest)state).AddHeaders();
            return Task.CompletedTask;
        };

        public ReadOnlyMemory<byte> Snippet() => middleware.BuildSnippet(context, record.Id);

        private void AddHeaders() => middleware.AddHeaders(context, record);
    }

    private static bool IsScriptRequest(HttpRequest request)
    {
        var headers = request.Headers;
        if (headers.XRequestedWith == "XMLHttpRequest")
        {
            return true;
        }

        // fetch()/XHR send Sec-Fetch-Dest: empty; scripts, styles and images loaded by a page send their own
        // destination (and Sec-Fetch-Mode: no-cors too), so the mode alone would count them as script requests.
        var dest = headers["Sec-Fetch-Dest"];
        return dest.Count > 0 && dest[0] == "empty";
    }
}
