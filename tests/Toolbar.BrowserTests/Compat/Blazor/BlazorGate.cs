namespace Toolbar.BrowserTests.Compat.Blazor;

/// <summary>Lets a test decide when the streaming page finishes (one Blazor test runs at a time).</summary>
public static class BlazorGate
{
    public static TaskCompletionSource Current { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
