namespace Toolbar.Panels.Cpu;

/// <summary>The CPU panel's MCP tools: arm a profile of a URL's next request, and read a profile's hottest functions.</summary>
internal static class CpuMcpTools
{
    public static IEnumerable<ToolbarMcpTool> Create(CpuPanel panel)
    {
        yield return new ToolbarMcpTool(
            "profile_next_request",
            "Arms a CPU profile (sampled stacks, about one per millisecond) of the next request to this URL (path and query, e.g. "
            + "/products?q=a). Make that request, then call get_cpu_profile with its id (list_requests finds it). The arm lasts 5 minutes.",
            ToolbarMcpTool.ObjectSchema(new ToolbarMcpArgument("url", "string", "Path (with path base) and query string, starting with '/'.", Required: true)),
            (call, _) =>
            {
                var url = call.GetRequiredString("url");
                if (url[0] != '/' || url.StartsWith("//", StringComparison.Ordinal) || url.Length > 8192)
                {
                    throw new ToolbarMcpException("The url must be a path starting with a single '/', with its query string if any.");
                }

                return ValueTask.FromResult<object?>(new { armed = url, expiresAt = panel.Arms.Arm(url) });
            })
        {
            ChangesState = true,
        };

        yield return new ToolbarMcpTool(
            "get_cpu_profile",
            "The CPU profile of a profiled request: sample count, interval, and the functions with the most samples of their own (self) and "
            + "in total, marked when they are the app's own code. Without requestId: the newest profiled request.",
            ToolbarMcpTool.ObjectSchema(
                new ToolbarMcpArgument("requestId", "string", "The record id."),
                new ToolbarMcpArgument("top", "integer", "How many functions (1–200, default 20).")),
            async (call, ct) =>
            {
                var top = call.GetInt("top", 20, 1, 200);
                RequestRecord? record = null;
                if (call.GetString("requestId") is { Length: > 0 })
                {
                    record = await call.GetRecordAsync(cancellationToken: ct);
                }
                else
                {
                    await foreach (var candidate in call.GetStoredRecordsAsync(ct))
                    {
                        if (candidate.GetPanelData<CpuData>(panel.Id) is { Profiled: true })
                        {
                            record = candidate;
                            break;
                        }
                    }
                }

                var data = record?.GetPanelData<CpuData>(panel.Id);
                if (record is null || data is not { Profiled: true })
                {
                    throw new ToolbarMcpException(data?.Refused ?? "No profiled request: call profile_next_request, or send a request with the header 'X-Toolbar-Profile: cpu'.");
                }

                return new
                {
                    requestId = record.Id,
                    path = record.Path,
                    sampleCount = data.SampleCount,
                    intervalMs = data.IntervalMs,
                    durationMs = data.DurationMs,
                    functions = data.Functions.Take(top).Select(f => new { name = f.Name, module = f.Module, selfSamples = f.SelfSamples, totalSamples = f.TotalSamples, appCode = f.AppCode }),
                };
            });
    }
}
