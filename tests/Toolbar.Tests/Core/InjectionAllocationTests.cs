using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Toolbar.Internal;

namespace Toolbar.Tests.Core;

/// <summary>Allocation (not time) assertions: injecting must not copy or buffer the page.</summary>
public class InjectionAllocationTests
{
    // Debug builds compile async state machines as classes (one allocation per awaited call), so the
    // bounds below hold exactly for the Release build test.sh runs; a Debug run gets a per-write allowance.
    private static readonly int s_perWriteAllowance =
        typeof(InjectingBody).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled) ? 256 : 0;

    private static long Writes(int pageBytes) => (pageBytes / (16 * 1024)) + 1;

    private static long AllocatedWhileInjecting(int pageBytes)
    {
        var page = Encoding.UTF8.GetBytes("<html><body>" + new string('x', pageBytes) + "</body></html>");
        var snippet = (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes("<div id=\"toolbar-root\"></div>");
        var context = new DefaultHttpContext();
        var inner = new StreamResponseBodyFeature(Stream.Null);
        context.Features.Set<IHttpResponseBodyFeature>(inner);
        context.Response.ContentType = "text/html";

        // Warm up the code paths and the array pool once, then measure a second page.
        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        return GC.GetAllocatedBytesForCurrentThread() - before;

        void Run()
        {
            var body = new InjectingBody(context, inner, () => snippet);
            for (var offset = 0; offset < page.Length; offset += 16 * 1024)
            {
                // Stream.Null completes synchronously, so the whole write stays on this thread.
                body.WriteAsync(page.AsMemory(offset, Math.Min(16 * 1024, page.Length - offset))).AsTask().GetAwaiter().GetResult();
            }

            body.FinishAsync(CancellationToken.None).GetAwaiter().GetResult();
            Assert.True(body.Injected);
        }
    }

    [Fact]
    public void Injecting_into_a_five_megabyte_page_allocates_at_most_64_KB()
    {
        var allocated = AllocatedWhileInjecting(5 * 1024 * 1024);
        Assert.True(allocated <= (64 * 1024) + (Writes(5 * 1024 * 1024) * s_perWriteAllowance), $"{allocated} bytes allocated");
    }

    [Fact]
    public void Allocation_does_not_grow_with_page_size()
    {
        var small = AllocatedWhileInjecting(50 * 1024);
        var large = AllocatedWhileInjecting(5 * 1024 * 1024);
        var allowance = (Writes(5 * 1024 * 1024) - Writes(50 * 1024)) * s_perWriteAllowance;
        Assert.True(large - small <= (4 * 1024) + allowance, $"50 KB page: {small} bytes, 5 MB page: {large} bytes");
    }
}
