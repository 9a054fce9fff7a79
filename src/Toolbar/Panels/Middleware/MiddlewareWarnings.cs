namespace Toolbar.Panels.Middleware;

/// <summary>Well-known ordering mistakes that the order of the pipeline alone decides.</summary>
internal static class MiddlewareWarnings
{
    public static IReadOnlyList<MiddlewareWarning> Find(IReadOnlyList<MiddlewareInfo> entries)
    {
        var warnings = new List<MiddlewareWarning>();
        var toolbar = First(entries, e => e.Kind == "toolbar");
        var compression = First(entries, e => Is(e, "ResponseCompressionMiddleware"));
        var routing = First(entries, e => Is(e, "EndpointRoutingMiddleware"));
        var endpoints = First(entries, e => Is(e, "EndpointMiddleware"));
        var authentication = First(entries, e => Is(e, "AuthenticationMiddleware"));
        // UseAuthorization() adds AuthorizationMiddlewareInternal (a subclass) on current versions.
        var authorization = First(entries, e => e.TypeName is not null && e.Name.StartsWith("AuthorizationMiddleware", StringComparison.Ordinal));
        var staticFiles = First(entries, e => Is(e, "StaticFileMiddleware"));
        var cors = First(entries, e => Is(e, "CorsMiddleware"));

        if (compression > toolbar && toolbar >= 0)
        {
            warnings.Add(new(
                "Response compression runs inside the toolbar: the toolbar sees compressed HTML and cannot add itself to pages.",
                "Call app.UseResponseCompression() before app.UseDebugToolbar()."));
        }

        if (authorization >= 0 && routing > authorization)
        {
            warnings.Add(new(
                "UseAuthorization() runs before UseRouting(): it sees no endpoint, so endpoints' [Authorize] policies are not applied.",
                "Call app.UseAuthorization() after app.UseRouting()."));
        }

        if (authorization >= 0 && endpoints >= 0 && authorization > endpoints)
        {
            warnings.Add(new(
                "UseAuthorization() runs after the endpoints: endpoints run before anybody checks their authorization.",
                "Call app.UseAuthorization() between app.UseRouting() and app.MapXxx()/UseEndpoints()."));
        }

        if (staticFiles >= 0 && authentication >= 0 && staticFiles > authentication)
        {
            warnings.Add(new(
                "Static files are served after authentication: every file request authenticates first, and files are still not authorized.",
                "Call app.UseStaticFiles() before app.UseAuthentication() (call UseAuthentication() yourself: WebApplication otherwise adds it before your middleware)."));
        }

        if (cors >= 0 && authorization >= 0 && cors > authorization)
        {
            warnings.Add(new(
                "CORS runs after authorization: preflight requests carry no credentials and fail authorization before CORS answers them.",
                "Call app.UseCors() before app.UseAuthorization()."));
        }

        return warnings;
    }

    private static bool Is(MiddlewareInfo entry, string typeName) => entry.TypeName is not null && entry.Name == typeName;

    private static int First(IReadOnlyList<MiddlewareInfo> entries, Func<MiddlewareInfo, bool> predicate)
    {
        foreach (var entry in entries)
        {
            if (predicate(entry))
            {
                return entry.Index;
            }
        }

        return -1;
    }
}
