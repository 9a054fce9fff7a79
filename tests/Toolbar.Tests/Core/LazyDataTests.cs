using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary><see cref="PanelContext.SetLazyData{TData}"/>: data is built once, only for records somebody reads.</summary>
public class LazyDataTests
{
    [Fact]
    public async Task Lazy_data_is_built_only_for_the_record_that_is_read_and_only_once()
    {
        var panel = new CountingPanel();
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"), o => o.Panels.Add<CountingPanel>(), services: s => s.AddSingleton(panel));

        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await app.Client.GetAsync($"/page/{i}")).Headers.GetValues("X-Toolbar-Id").Single());
        }

        Assert.Equal(20, panel.Finished);
        Assert.Equal(0, panel.Built);

        // Three readers of one record, at once: the nav model, the JSON API and the rendered panel.
        var reads = await Task.WhenAll(
            app.Client.GetStringAsync($"/_toolbar/api/requests/{ids[7]}"),
            app.Client.GetStringAsync($"/_toolbar/api/requests/{ids[7]}/toolbar"),
            app.Client.GetStringAsync($"/_toolbar/requests/{ids[7]}/panels/{CountingPanel.PanelId}"));

        Assert.Equal(1, panel.Built);
        var data = JsonDocument.Parse(reads[0]).RootElement.GetProperty("panels").GetProperty(CountingPanel.PanelId);
        Assert.Equal("/page/7", data.GetProperty("path").GetString());
        Assert.Contains("/page/7", reads[2], StringComparison.Ordinal);

        await app.Client.GetStringAsync($"/_toolbar/api/requests/{ids[7]}");
        Assert.Equal(1, panel.Built);
    }

    [Fact]
    public async Task A_failing_builder_shows_its_error_in_its_panel_and_leaves_the_others_intact()
    {
        var panel = new CountingPanel { Fail = true };
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"), o => o.Panels.Add<CountingPanel>(), services: s => s.AddSingleton(panel));
        var id = (await app.Client.GetAsync("/failing")).Headers.GetValues("X-Toolbar-Id").Single();

        // The rendered panel is the first reader: it must show the error the build records.
        var html = await app.Client.GetStringAsync($"/_toolbar/requests/{id}/panels/{CountingPanel.PanelId}");
        Assert.Contains("builder failed on purpose", html, StringComparison.Ordinal);

        var response = await app.Client.GetAsync($"/_toolbar/api/requests/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Null, record.GetProperty("panels").GetProperty(CountingPanel.PanelId).ValueKind);
        Assert.Equal("building data: InvalidOperationException: builder failed on purpose",
            record.GetProperty("panelErrors").GetProperty(CountingPanel.PanelId).GetString());
        Assert.Equal("/failing", record.GetProperty("panels").GetProperty("request").GetProperty("path").GetString());

        Assert.Equal(1, panel.Built);
    }

    [Fact]
    public void Lazy_data_of_the_wrong_type_is_refused_when_it_is_set()
    {
        var record = new RequestRecord("GET", "/", "");
        var panel = new CountingPanel();
        panel.Index = 0;
        var context = new PanelContext(new DefaultHttpContext(), record, panel);

        var error = Assert.Throws<ArgumentException>(() => context.SetLazyData(() => "not the panel's data type"));
        Assert.Contains("must store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_the_panels_dictionary_builds_every_deferred_entry()
    {
        var record = new RequestRecord("GET", "/", "");
        var panel = new CountingPanel();
        panel.Index = 0;
        var context = new PanelContext(new DefaultHttpContext(), record, panel);
        context.SetLazyData(() => new CountingPanel.Data { Path = "/built" });

        Assert.Equal("/built", Assert.IsType<CountingPanel.Data>(record.Panels[CountingPanel.PanelId]).Path);
        Assert.Same(record.Panels[CountingPanel.PanelId], record.GetPanelData(CountingPanel.PanelId));
    }

    [Fact]
    public void A_builder_that_reads_its_own_record_sees_its_entry_empty_and_runs_once()
    {
        var record = new RequestRecord("GET", "/", "");
        var panel = new CountingPanel();
        panel.Index = 0;
        var context = new PanelContext(new DefaultHttpContext(), record, panel);
        var runs = 0;
        object? seenInside = "not read";
        context.SetLazyData(() =>
        {
            runs++;
            seenInside = record.GetPanelData(CountingPanel.PanelId);
            _ = record.Panels.Count;
            return new CountingPanel.Data { Path = "/self" };
        });

        Assert.Equal("/self", record.GetPanelData<CountingPanel.Data>(CountingPanel.PanelId)!.Path);
        Assert.Null(seenInside);
        Assert.Equal(1, runs);
    }

    [Fact]
    public void Lazy_data_with_state_builds_from_that_state_once_and_checks_the_type()
    {
        var record = new RequestRecord("GET", "/", "");
        var panel = new CountingPanel();
        panel.Index = 0;
        var context = new PanelContext(new DefaultHttpContext(), record, panel);
        var runs = new int[1];
        context.SetLazyData((runs, "/from-state"), static s =>
        {
            s.runs[0]++;
            return new CountingPanel.Data { Path = s.Item2 };
        });

        Assert.Equal(0, runs[0]);
        Assert.Equal("/from-state", record.GetPanelData<CountingPanel.Data>(CountingPanel.PanelId)!.Path);
        Assert.Same(record.GetPanelData(CountingPanel.PanelId), record.Panels[CountingPanel.PanelId]);
        Assert.Equal(1, runs[0]);
        Assert.Throws<ArgumentException>(() => context.SetLazyData(1, static n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_builder_that_waits_holds_up_only_its_own_panel_and_concurrent_readers_of_it_get_its_one_result()
    {
        var record = new RequestRecord("GET", "/", "");
        var slow = new CountingPanel { Index = 0 };
        var other = new OtherPanel { Index = 1 };
        using var gate = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var runs = 0;
        new PanelContext(new DefaultHttpContext(), record, slow).SetLazyData(() =>
        {
            Interlocked.Increment(ref runs);
            entered.Set();
            // Like the threads panel waiting for the runtime's events of the request.
            gate.Wait(TimeSpan.FromSeconds(30));
            return new CountingPanel.Data { Path = "/slow" };
        });
        new PanelContext(new DefaultHttpContext(), record, other).SetLazyData(() => new CountingPanel.Data { Path = "/other" });

        // The readers that wait run on threads of their own, not the pool's, which the other tests keep busy.
        var first = OnOwnThread(() => record.GetPanelData<CountingPanel.Data>(CountingPanel.PanelId));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
        var second = OnOwnThread(() => record.GetPanelData<CountingPanel.Data>(CountingPanel.PanelId));
        var everything = OnOwnThread(() => record.Panels.Count);

        // The other panel's data, the record's state and its errors answer while the slow builder still waits.
        var otherData = await OnOwnThread(() => record.GetPanelData<CountingPanel.Data>(OtherPanel.PanelId)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("/other", otherData!.Path);
        Assert.NotNull(await OnOwnThread(() => record.GetState<List<int>>()).WaitAsync(TimeSpan.FromSeconds(10)));
        await Task.Delay(100);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.False(everything.IsCompleted);

        gate.Set();
        var results = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, await everything.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("/slow", results[0]!.Path);
        Assert.Same(results[0], results[1]);
        Assert.Same(results[0], record.Panels[CountingPanel.PanelId]);
        Assert.Equal(1, runs);
    }

    private static Task<T> OnOwnThread<T>(Func<T> read)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                result.SetResult(read());
            }
            catch (Exception ex)
            {
                result.SetException(ex);
            }
        })
        { IsBackground = true }.Start();
        return result.Task;
    }

    public sealed class OtherPanel : ToolbarPanel<CountingPanel.Data>
    {
        public const string PanelId = "other";

        public override string Id => PanelId;

        public override string Title => "Other";
    }

    public sealed class CountingPanel : ToolbarPanel<CountingPanel.Data>
    {
        public const string PanelId = "counting";
        private int _built;
        private int _finished;

        public override string Id => PanelId;

        public override string Title => "Counting";

        public bool Fail { get; init; }

        public int Built => Volatile.Read(ref _built);

        public int Finished => Volatile.Read(ref _finished);

        public override void OnRequestFinished(PanelContext context)
        {
            Interlocked.Increment(ref _finished);
            var path = context.HttpContext.Request.Path.Value;
            context.SetLazyData(() =>
            {
                Interlocked.Increment(ref _built);
                // Slow on purpose, so that concurrent readers overlap.
                Thread.Sleep(50);
                return Fail ? throw new InvalidOperationException("builder failed on purpose") : new Data { Path = path };
            });
        }

        public sealed class Data
        {
            public string? Path { get; set; }
        }
    }
}
