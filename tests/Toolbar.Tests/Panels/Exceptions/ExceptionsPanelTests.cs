using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Toolbar.Tests.Infrastructure;
using Toolbar.Tests.Panels.Middleware;
using static Toolbar.Tests.Panels.Context.ContextPanelTestHelpers;

namespace Toolbar.Tests.Panels.Exceptions;

public class ExceptionsPanelTests
{
    private const string SampleMessage = "Sample failure from /error: this exception is thrown on purpose.";

    private static async Task<JsonElement> ExceptionsAsync(MiniApp app, string path = "/")
    {
        var response = await app.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await PanelDataAsync(app.Client, ToolbarId(response), "exceptions");
    }

    [Fact]
    public async Task Error_page_records_the_unhandled_exception_and_still_shows_the_developer_page()
    {
        using var factory = new SampleAppFactory();
        var client = factory.CreateClient();
        // As a browser asks: the developer exception page then renders its HTML, stack frames and all.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/error");
        request.Headers.Accept.ParseAdd("text/html");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(SampleMessage, await response.Content.ReadAsStringAsync());

        var id = await NewestIdForPathAsync(client, "/error");
        var data = await PanelDataAsync(client, id, "exceptions");
        var entry = Assert.Single(data.GetProperty("exceptions").EnumerateArray(), e => !e.GetProperty("handled").GetBoolean());
        Assert.Equal("System.InvalidOperationException", entry.GetProperty("type").GetString());
        Assert.Equal(SampleMessage, entry.GetProperty("message").GetString());
        Assert.True(data.GetProperty("requestFailed").GetBoolean());

        // The developer exception page's own exceptions while it formats the stack (reflection on runtime-made methods
        // it asks and catches) are not the app's: the sample's failure is the only one listed and counted.
        Assert.Single(data.GetProperty("exceptions").EnumerateArray());
        Assert.Equal(1, data.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_apps_own_developer_exception_page_inside_the_toolbar_still_marks_the_apps_exception_as_the_failure()
    {
        // The page's HTML formats the stack (its own exceptions come after the app's) and reports the failure nowhere
        // the toolbar can read: the app's exception must still be the one that failed the request, listed with the one
        // the app caught itself, and the page's own left out.
        await using var app = await MiddlewareTestApp.StartAsync(a =>
        {
            a.UseDebugToolbar();
            a.UseDeveloperExceptionPage();
            a.MapGet("/boom", Task () =>
            {
                try
                {
                    _ = int.Parse("not a number", System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (FormatException)
                {
                    // Caught by the app itself: listed as handled.
                }

                throw new InvalidOperationException("the app's own failure");
            });
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("the app&#x27;s own failure", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var data = await PanelDataAsync(app.Client, ToolbarId(response), "exceptions");
        var entries = data.GetProperty("exceptions").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal(2, data.GetProperty("total").GetInt32());
        Assert.Equal("System.FormatException", entries[0].GetProperty("type").GetString());
        Assert.True(entries[0].GetProperty("handled").GetBoolean());
        Assert.Equal("the app's own failure", entries[1].GetProperty("message").GetString());
        Assert.False(entries[1].GetProperty("handled").GetBoolean());
        Assert.True(data.GetProperty("requestFailed").GetBoolean());
    }

    [Fact]
    public async Task Failed_request_turns_the_nav_red()
    {
        using var factory = new SampleAppFactory();
        var client = factory.CreateClient();
        await client.GetAsync("/error");
        var nav = await NavAsync(client, await NewestIdForPathAsync(client, "/error"), "exceptions");
        Assert.Equal("error", nav.GetProperty("status").GetString());
        Assert.Equal("1 failed the request", nav.GetProperty("subtitle").GetString());
    }

    [Fact]
    public async Task Stack_is_trimmed_to_app_frames_with_all_frames_kept()
    {
        using var factory = new SampleAppFactory();
        var client = factory.CreateClient();
        await client.GetAsync("/error");
        var data = await PanelDataAsync(client, await NewestIdForPathAsync(client, "/error"), "exceptions");
        var entry = data.GetProperty("exceptions").EnumerateArray().Single(e => !e.GetProperty("handled").GetBoolean());
        var stack = entry.GetProperty("stack").EnumerateArray().Select(f => f.GetString()!).ToList();
        var all = entry.GetProperty("fullStack").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.Contains(stack, f => f.Contains("ThrowSampleError", StringComparison.Ordinal));
        Assert.DoesNotContain(stack, f => f.StartsWith("at Microsoft.", StringComparison.Ordinal) || f.StartsWith("at System.", StringComparison.Ordinal));
        Assert.Contains(all, f => f.StartsWith("at Microsoft.AspNetCore.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Caught_exception_is_recorded_as_handled()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            try
            {
                _ = int.Parse("not a number", System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                // The app recovers: the request succeeds.
            }

            await ctx.Response.WriteAsync("ok");
        });
        var data = await ExceptionsAsync(app);
        var entry = Assert.Single(data.GetProperty("exceptions").EnumerateArray());
        Assert.Equal("System.FormatException", entry.GetProperty("type").GetString());
        Assert.True(entry.GetProperty("handled").GetBoolean());
        Assert.False(data.GetProperty("requestFailed").GetBoolean());
    }

    [Fact]
    public async Task Exception_rethrown_across_awaits_is_listed_once()
    {
        static async Task Inner()
        {
            await Task.Yield();
            throw new TimeoutException("deep");
        }

        static async Task Middle() => await Inner();

        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            try
            {
                await Middle();
            }
            catch (TimeoutException)
            {
            }
        });
        var data = await ExceptionsAsync(app);
        Assert.Equal(1, data.GetProperty("total").GetInt32());
        Assert.Equal("deep", Assert.Single(data.GetProperty("exceptions").EnumerateArray()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Exception_in_background_task_of_the_request_is_captured()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            try
            {
                await Task.Run(() => throw new ArithmeticException("in the pool"));
            }
            catch (ArithmeticException)
            {
            }
        });
        var data = await ExceptionsAsync(app);
        Assert.Equal("in the pool", Assert.Single(data.GetProperty("exceptions").EnumerateArray()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Inner_exception_is_described()
    {
        await using var app = await MiniApp.StartAsync(ctx =>
        {
            try
            {
                throw new InvalidOperationException("outer", new ArgumentException("inner cause"));
            }
            catch (InvalidOperationException)
            {
            }

            return Task.CompletedTask;
        });
        var data = await ExceptionsAsync(app);
        var outer = data.GetProperty("exceptions").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "System.InvalidOperationException");
        var inner = Assert.Single(outer.GetProperty("innerExceptions").EnumerateArray());
        Assert.Equal("System.ArgumentException", inner.GetProperty("type").GetString());
        Assert.Equal("inner cause", inner.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Request_without_exceptions_has_none()
    {
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("fine"));
        var data = await ExceptionsAsync(app);
        Assert.Equal(0, data.GetProperty("total").GetInt32());
        Assert.Equal(0, data.GetProperty("exceptions").GetArrayLength());
    }
}
