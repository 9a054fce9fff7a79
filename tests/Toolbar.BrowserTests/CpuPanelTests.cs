using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class CpuPanelTests(BrowserFixture browser)
{
    private const string SpinFrame = "button[data-cpu-frame^=\"SampleApp.Hot.Spin\"]";

    [Fact]
    public async Task A_profiled_request_shows_its_flame_graph_with_zoom_search_and_app_code_only()
    {
        await using var session = await browser.NewPageAsync();
        // Warm up: the first run of /cpu compiles it; the profile should show the steady state.
        await session.GotoAsync("/cpu?ms=20");
        await session.GotoAsync("/cpu?ms=200&_toolbar_profile=cpu");

        var content = await session.OpenPanelAsync("cpu");
        var spin = content.Locator(SpinFrame).First;
        await Assertions.Expect(spin).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        await Assertions.Expect(content.Locator("[data-cpu-functions] tbody tr").First).ToContainTextAsync("SampleApp.Hot.Spin");

        // Hover shows the figures.
        await spin.HoverAsync();
        await Assertions.Expect(content.Locator("[data-cpu-details]")).ToContainTextAsync("SampleApp.Hot.Spin");
        await Assertions.Expect(content.Locator("[data-cpu-details]")).ToContainTextAsync("app code");
        await session.ScreenshotAsync("cpu-flame-graph");

        // Click zooms in: the frame now spans the whole width; Escape zooms back out (keyboard).
        var caller = content.Locator("button[data-cpu-frame^=\"SampleApp.Hot.Compute\"]").First;
        await caller.ClickAsync();
        await Assertions.Expect(content.Locator("[data-cpu-reset]")).ToBeEnabledAsync();
        var graphWidth = (await content.Locator("[data-cpu-flame]").BoundingBoxAsync())!.Width;
        var zoomedWidth = (await content.Locator("button.tb-cpu-focus").BoundingBoxAsync())!.Width;
        Assert.True(zoomedWidth > graphWidth * 0.9, $"zoomed frame {zoomedWidth} px of {graphWidth} px");
        await Assertions.Expect(content.Locator("button.tb-cpu-focus")).ToHaveAttributeAsync("data-cpu-frame", new System.Text.RegularExpressions.Regex("^SampleApp.Hot.Compute"));
        await session.Page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(content.Locator(SpinFrame).First).ToBeFocusedAsync();
        await session.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(content.Locator("[data-cpu-reset]")).ToBeDisabledAsync();

        // Search marks the matching frames.
        await content.Locator("[data-cpu-search]").FillAsync("Hot.Spin");
        await Assertions.Expect(content.Locator(SpinFrame).First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("tb-cpu-match"));
        await Assertions.Expect(content.Locator("[data-cpu-search-result]")).ToContainTextAsync("of the samples");

        // App code only: framework frames disappear, the app's stay.
        await content.Locator("[data-cpu-search]").FillAsync("");
        await content.Locator("[data-cpu-app-only]").CheckAsync();
        await Assertions.Expect(content.Locator("button.tb-cpu-lib")).ToHaveCountAsync(0);
        await Assertions.Expect(content.Locator(SpinFrame).First).ToBeVisibleAsync();
        await session.ScreenshotAsync("cpu-flame-graph-app-only");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task The_button_profiles_the_next_request_to_the_same_url()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/cpu?ms=30");
        var content = await session.OpenPanelAsync("cpu");
        await Assertions.Expect(content.Locator("[data-cpu-not-profiled]")).ToBeVisibleAsync();

        await content.Locator("[data-cpu-arm]").ClickAsync();
        await Assertions.Expect(content.Locator("[data-cpu-arm-status]")).ToContainTextAsync("Armed: the next request to /cpu?ms=30");

        // The toolbar stays expanded across the reload, so its handle is hidden: wait for the panel instead.
        await session.GotoAsync("/cpu?ms=30", waitForToolbar: false);
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"cpu\"]")).ToContainTextAsync("samples", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        content = session.Page.Locator("[data-panel-content=\"cpu\"]");
        if (!await content.IsVisibleAsync())
        {
            content = await session.OpenPanelAsync("cpu");
        }

        await Assertions.Expect(content.Locator("[data-cpu-sample-count]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        Assert.Empty(session.ConsoleErrors);
    }
}
