namespace Toolbar.Panels.Routes;

/// <summary>The routes panel's MCP tool: the app's real endpoint matcher, asked about any method and path.</summary>
internal static class RoutesMcpTools
{
    public static IEnumerable<ToolbarMcpTool> Create(RouteTester tester)
    {
        yield return new ToolbarMcpTool(
            "test_route",
            "Which endpoint of the app a request would reach, decided by the app's own endpoint matcher (constraints, HTTP methods, host): "
            + "the matched route with its route values, or why nothing matched and the nearest routes with why each did not match.",
            ToolbarMcpTool.ObjectSchema(
                new ToolbarMcpArgument("path", "string", "The path, e.g. /products/7.", Required: true),
                new ToolbarMcpArgument("method", "string", "The HTTP method (default GET)."),
                new ToolbarMcpArgument("host", "string", "The Host to match against (default: the one the MCP client used).")),
            async (call, _) =>
            {
                var method = call.GetString("method") is { Length: > 0 } m ? m : "GET";
                var path = call.GetRequiredString("path");
                var host = call.GetString("host");
                if (RouteTester.Validate(method, path, host) is { } error)
                {
                    throw new ToolbarMcpException(error);
                }

                var testHost = string.IsNullOrEmpty(host) ? call.HttpContext.Request.Host.Value ?? "localhost" : host;
                return await tester.TestAsync(method, path, testHost, null);
            });
    }
}
