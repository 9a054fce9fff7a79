using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>
/// <c>/api/requests/{id}/toolbar?wait=ms</c>: the toolbar follows a fetch as soon as its response starts, before the
/// app has finished and stored the record; the endpoint waits for it instead of answering 404 at once.
/// </summary>
public class RecordWaitTests
{
    [Fact]
    public async Task The_toolbar_model_of_a_request_still_running_is_answered_once_it_is_stored_when_asked_to_wait()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("[1");
            await ctx.Response.Body.FlushAsync();
            await release.Task;
            await ctx.Response.WriteAsync("]");
        });
        using var running = await app.Client.GetAsync("/api/running", HttpCompletionOption.ResponseHeadersRead);
        var id = running.Headers.GetValues("X-Toolbar-Id").Single();

        // Not stored yet: without wait, 404 at once.
        using (var early = await app.Client.GetAsync($"/_toolbar/api/requests/{id}/toolbar"))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        }

        var waiting = app.Client.GetAsync($"/_toolbar/api/requests/{id}/toolbar?wait=10000");
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted, "answered before the request it waits for was stored");
        release.SetResult();
        Assert.Equal("[1]", await running.Content.ReadAsStringAsync());

        using var answer = await waiting;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var model = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.Equal(id, model.RootElement.GetProperty("id").GetString());
        Assert.Equal("/api/running", model.RootElement.GetProperty("path").GetString());
    }

    [Fact]
    public async Task An_id_that_never_comes_is_a_404_after_the_wait()
    {
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"));

        using var response = await app.Client.GetAsync($"/_toolbar/api/requests/{new string('a', 32)}/toolbar?wait=100");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("10001")]
    [InlineData("99999999999")]
    public async Task A_wait_that_is_not_0_to_10000_ms_is_a_400_problem(string wait)
    {
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"));

        using var response = await app.Client.GetAsync($"/_toolbar/api/requests/{new string('a', 32)}/toolbar?wait={wait}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("wait", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
