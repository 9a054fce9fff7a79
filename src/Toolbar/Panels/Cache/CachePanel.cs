using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Toolbar.Panels.Cache;

/// <summary>
/// The cache panel: every call the request made to <c>IMemoryCache</c>, <c>IDistributedCache</c>, <c>HybridCache</c>
/// and the output cache store, with hits, misses and time, and what output caching did with the response (and why
/// not, when it refused). The app changes no code: the toolbar wraps the caches it registered.
/// </summary>
public sealed class CachePanel : ToolbarPanel<CacheData>
{
    private readonly AppCode? _appCode;

    /// <summary>Creates the panel and connects it to the app's instrumented caches.</summary>
    public CachePanel(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _appCode = services.GetService<AppCode>();
        if (services.GetService<CacheCollector>() is { } collector)
        {
            collector.Panel = this;
        }
    }

    /// <inheritdoc />
    public override string Id => "cache";

    /// <inheritdoc />
    public override string Title => "Cache";

    /// <inheritdoc />
    public override Type? ViewType => typeof(CachePanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets => [PanelAsset.Embedded<CachePanel>("cache.css", "Toolbar.Panels.cache.css")];

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context) => context.GetState<CacheState>();

    /// <inheritdoc />
    public override void OnResponseStarting(PanelContext context, ServerTimingBuilder serverTiming)
    {
        // The output cache middleware removes its feature when it returns; while the response starts it is usually
        // still running, so this is where its context (what the policies decided) can be kept for later.
        if (context.HttpContext.Features.Get<IOutputCacheFeature>() is { } feature && context.Record.FindState<CacheState>() is { } state)
        {
            state.OutputContext = feature.Context;
        }
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var state = context.Record.FindState<CacheState>();
        if (state is null)
        {
            return;
        }

        var (calls, total) = state.Finish();
        var record = context.Record;
        var outcome = state.OutputContext is { } output ? DescribeOutputCache(output, context.HttpContext, calls) : null;
        state.OutputContext = null;
        record.AddEstimatedBytes(160L * calls.Length);
        var appCode = _appCode;
        context.SetLazyData((record, calls, total, outcome, appCode), static s => Build(s.record, s.calls, s.total, s.outcome, s.appCode));
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(CacheData data)
    {
        var count = data.Calls.Count(c => c.Via is null) + data.Dropped;
        var text = count.ToString(CultureInfo.InvariantCulture) + (count == 1 ? " call, " : " calls, ") + data.Hits.ToString(CultureInfo.InvariantCulture) + (data.Hits == 1 ? " hit" : " hits");
        if (data.OutputCache is { ServedFromCache: true })
        {
            text += ", page from output cache";
        }

        return text;
    }

    /// <inheritdoc />
    protected override PanelStatus GetStatus(CacheData data) => data.RepeatedKeys.Count > 0 ? PanelStatus.Warning : PanelStatus.Normal;

    internal static CacheData Build(RequestRecord record, CacheCallRecord[] calls, int total, OutputCacheOutcome? outcome, AppCode? appCode)
    {
        var data = new CacheData
        {
            TotalCalls = total,
            Dropped = total - calls.Length,
            Calls = new List<CacheCall>(calls.Length),
            OutputCache = outcome,
        };
        var lookups = new Dictionary<(string, string), int>();
        var durationMs = 0.0;
        foreach (var raw in calls)
        {
            var call = new CacheCall
            {
                Index = data.Calls.Count,
                Operation = raw.Operation,
                Key = raw.Key,
                Hit = raw.Hit,
                Backend = raw.Backend,
                SizeBytes = raw.SizeBytes,
                Via = raw.Via,
                StartMs = Math.Round(record.ToOffsetMs(raw.StartTimestamp), 3),
                DurationMs = Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(raw.StartTimestamp, raw.EndTimestamp).TotalMilliseconds, 3),
            };
            if (raw.Stack is not null && appCode is not null && appCode.AppFrames(raw.Stack, 1) is [var frame])
            {
                call.CallerFrame = appCode.Resolve(frame);
                call.Caller = call.CallerFrame.Method;
            }

            data.Calls.Add(call);
            if (call.Via is not null)
            {
                continue;
            }

            durationMs += call.DurationMs;
            if (call.Hit is { } hit)
            {
                if (hit)
                {
                    data.Hits++;
                }
                else
                {
                    data.Misses++;
                }

                var id = (call.Backend, call.Key);
                lookups[id] = lookups.GetValueOrDefault(id) + 1;
            }
        }

        data.DurationMs = Math.Round(durationMs, 3);
        data.HitRatio = data.Hits + data.Misses == 0 ? null : Math.Round((double)data.Hits / (data.Hits + data.Misses), 4);
        foreach (var ((backend, key), count) in lookups)
        {
            if (count > 1)
            {
                data.RepeatedKeys.Add(new CacheKeyRepeat { Backend = backend, Key = key, Count = count });
            }
        }

        return data;
    }

    /// <summary>What the output cache middleware did, from its context and the store calls, with the reason in words.</summary>
    internal static OutputCacheOutcome DescribeOutputCache(OutputCacheContext output, HttpContext http, CacheCallRecord[] calls)
    {
        var outcome = new OutputCacheOutcome
        {
            Enabled = output.EnableOutputCaching,
            LookupAllowed = output.AllowCacheLookup,
            StorageAllowed = output.AllowCacheStorage,
        };
        var lookedUp = false;
        foreach (var call in calls)
        {
            if (call.Backend != InstrumentedOutputCacheStore.Backend)
            {
                continue;
            }

            if (call.Operation == "get")
            {
                lookedUp = true;
                outcome.ServedFromCache |= call.Hit == true;
            }
            else if (call.Operation == "set")
            {
                outcome.Stored = true;
            }
        }

        var request = http.Request;
        var response = http.Response;
        outcome.Reason = outcome switch
        {
            { ServedFromCache: true } => "Served from the output cache: the app's endpoint did not run.",
            { Enabled: false } => "Output caching was not enabled for this request by any policy.",
            { Stored: true } => lookedUp ? "Not in the output cache yet: the response was stored for the next requests." : "The response was stored in the output cache (lookup was turned off for this request).",
            { LookupAllowed: false, StorageAllowed: false } when !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) =>
                $"Not cached: only GET and HEAD requests are, this one is {request.Method}.",
            { LookupAllowed: false, StorageAllowed: false } when !StringValues.IsNullOrEmpty(request.Headers.Authorization) =>
                "Not cached: the request has an Authorization header.",
            { LookupAllowed: false, StorageAllowed: false } when http.User?.Identity?.IsAuthenticated == true =>
                "Not cached: the user is authenticated.",
            { LookupAllowed: false, StorageAllowed: false } => "Not cached: a policy turned off both lookup and storage (e.g. NoCache).",
            { StorageAllowed: false } when !StringValues.IsNullOrEmpty(response.Headers.SetCookie) =>
                "Not stored: the response sets a cookie.",
            { StorageAllowed: false } when response.StatusCode != StatusCodes.Status200OK =>
                $"Not stored: only 200 responses are cached, this one is {response.StatusCode.ToString(CultureInfo.InvariantCulture)}.",
            { StorageAllowed: false } => "Not stored: a policy refused to store the response (e.g. NoStore).",
            _ => lookedUp ? "Not in the output cache, and the response was not stored (streamed, or its length did not match)." : "The output cache was not consulted.",
        };
        return outcome;
    }
}
