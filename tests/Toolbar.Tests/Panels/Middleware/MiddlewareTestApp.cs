using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolbar.Tests.Panels.Middleware;

/// <summary>A WebApplication on a TestServer whose pipeline the test writes; reads the middleware panel's JSON.</summary>
internal sealed class MiddlewareTestApp : IAsyncDisposable
{
    private MiddlewareTestApp(WebApplication app)
    {
        App = app;
        Client = app.GetTestServer().CreateClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public static async Task<MiddlewareTestApp> StartAsync(
        Action<WebApplication> configure,
        Action<IServiceCollection>? services = null,
        string environment = "Development",
        Action<ToolbarOptions>? options = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        // A TestServer connection has no address: let the policy track every request.
        builder.Services.AddDebugToolbar(o =>
        {
            o.ShowToolbar = _ => true;
            options?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        return new MiddlewareTestApp(app);
    }

    /// <summary>Sends GET <paramref name="path"/> and returns the middleware panel's data of that request.</summary>
    public async Task<JsonElement> GetPanelAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = await Client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{id}");
        return record.GetProperty("panels").GetProperty("middleware");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>What the test's own middleware and endpoint measured of themselves: the truth the panel is compared with.</summary>
internal sealed class OwnMeasurements
{
    public double DelayMiddlewareMs { get; set; }

    public double EndpointMs { get; set; }
}

/// <summary>Waits 30 ms, then calls next: a known exclusive time, which it measures itself.</summary>
internal sealed class DelayThenNextMiddleware(RequestDelegate next, OwnMeasurements measurements)
{
    public const int DelayMs = 30;

    public async Task InvokeAsync(HttpContext context)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        await Task.Delay(DelayMs);
        measurements.DelayMiddlewareMs = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await next(context);
    }
}

/// <summary>Answers <c>/short</c> itself without calling next; passes everything else on.</summary>
internal sealed class AnswerShortMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path == "/short")
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("answered by AnswerShortMiddleware");
        }

        return next(context);
    }
}

/// <summary>An inline middleware written as a named method, so its name in the panel is known.</summary>
internal static class InlineMiddleware
{
    public static Task PassThrough(HttpContext context, RequestDelegate next) => next(context);
}
