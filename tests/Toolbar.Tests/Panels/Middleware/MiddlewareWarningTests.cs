using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.Tests.Panels.Middleware;

public class MiddlewareWarningTests
{
    private static async Task<string[]> WarningsOf(Action<WebApplication> configure, Action<IServiceCollection>? services = null)
    {
        await using var app = await MiddlewareTestApp.StartAsync(configure, services);
        var panel = await app.GetPanelAsync("/ok");
        return [.. panel.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("fix").GetString()!)];
    }

    [Fact]
    public async Task A_pipeline_in_the_recommended_order_has_no_warnings()
    {
        var warnings = await WarningsOf(
            app =>
            {
                app.UseResponseCompression();
                app.UseDebugToolbar();
                app.UseStaticFiles();
                app.UseRouting();
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGet("/ok", () => "ok");
            },
            s =>
            {
                s.AddResponseCompression();
                s.AddAuthentication();
                s.AddAuthorization();
            });
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task Response_compression_inside_the_toolbar_is_reported()
    {
        var warnings = await WarningsOf(
            app =>
            {
                app.UseDebugToolbar();
                app.UseResponseCompression();
                app.MapGet("/ok", () => "ok");
            },
            s => s.AddResponseCompression());
        Assert.Equal(["Call app.UseResponseCompression() before app.UseDebugToolbar()."], warnings);
    }

    [Fact]
    public async Task Authorization_before_routing_is_reported()
    {
        var warnings = await WarningsOf(
            app =>
            {
                app.UseDebugToolbar();
                app.UseAuthorization();
                app.UseRouting();
                app.MapGet("/ok", () => "ok");
            },
            s => s.AddAuthorization());
        Assert.Equal(["Call app.UseAuthorization() after app.UseRouting()."], warnings);
    }

    [Fact]
    public async Task Authorization_after_the_endpoints_is_reported()
    {
        var warnings = await WarningsOf(
            app =>
            {
                app.UseDebugToolbar();
                app.UseRouting();
#pragma warning disable ASP0014 // The mistake under test needs UseEndpoints() written out.
                app.UseEndpoints(e => e.MapGet("/ok", () => "ok"));
#pragma warning restore ASP0014
                app.UseAuthorization();
            },
            s => s.AddAuthorization());
        Assert.Contains("Call app.UseAuthorization() between app.UseRouting() and app.MapXxx()/UseEndpoints().", warnings);
    }

    [Fact]
    public async Task Static_files_after_the_authentication_WebApplication_adds_are_reported()
    {
        // With authentication services registered, WebApplication runs UseAuthentication() before the app's own middleware.
        var warnings = await WarningsOf(
            app =>
            {
                app.UseDebugToolbar();
                app.UseStaticFiles();
                app.MapGet("/ok", () => "ok");
            },
            s => s.AddAuthentication());
        Assert.Single(warnings, w => w.StartsWith("Call app.UseStaticFiles() before app.UseAuthentication()", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cors_after_authorization_is_reported()
    {
        var warnings = await WarningsOf(
            app =>
            {
                app.UseDebugToolbar();
                app.UseRouting();
                app.UseAuthorization();
                app.UseCors();
                app.MapGet("/ok", () => "ok");
            },
            s =>
            {
                s.AddAuthorization();
                s.AddCors();
            });
        Assert.Equal(["Call app.UseCors() before app.UseAuthorization()."], warnings);
    }
}
