using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Panels.Threads;

namespace Toolbar.Tests.Panels.Threads;

/// <summary>What the threads tests share: a request's threads data, and waiting until the shared wait sessions listen.</summary>
internal static class ThreadsTestData
{
    public static async Task<JsonElement> ThreadsDataAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = await client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{id}");
        return record.GetProperty("panels").GetProperty("threads");
    }

    /// <summary>Waits (up to 30 s) until no start of the wait listener runs and no session listens, then checks it.</summary>
    public static async Task WaitForIdleListenerAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((WaitListener.Starting || WaitListener.Session is not null || WaitListener.Pool is not null) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.False(WaitListener.Starting);
        Assert.Null(WaitListener.Session);
        Assert.Null(WaitListener.Pool);
    }

    /// <summary>
    /// Blocks every pool thread, and more items than the pool adds threads for meanwhile, for 600 ms: new work queued
    /// now waits for a thread. <paramref name="done"/> is set when they all finished.
    /// </summary>
    public static void StarvePool(CountdownEvent done)
    {
        var blockers = ThreadPool.ThreadCount + 48;
        done.Reset(blockers);
        for (var i = 0; i < blockers; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                Thread.Sleep(600);
                done.Signal();
            }, null);
        }
    }

    public static ThreadsPanel PanelOf(IServiceProvider services) => services.GetRequiredService<ToolbarPanels>().Find<ThreadsPanel>()!;

    /// <summary>Takes the app's reference to the shared wait sessions and waits until they listen (they start in the background).</summary>
    public static WaitSession Listen(IServiceProvider services)
    {
        var session = PanelOf(services).EnsureListening(TimeSpan.FromSeconds(30));
        Assert.True(session is not null, $"not listening; last start error: {WaitListener.LastStartError}");
        return session;
    }
}
