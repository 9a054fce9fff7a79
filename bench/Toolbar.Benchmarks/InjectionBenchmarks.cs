using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Toolbar.Internal;

namespace Toolbar.Benchmarks;

/// <summary>
/// What injecting costs compared with writing the same page straight through: time and, above all,
/// allocated bytes, which must stay small and independent of the page size.
/// </summary>
[MemoryDiagnoser]
public class InjectionBenchmarks
{
    private static readonly ReadOnlyMemory<byte> Snippet = Encoding.UTF8.GetBytes("<div id=\"toolbar-root\"></div><script src=\"/_toolbar/assets/toolbar.js\" defer></script>");
    private byte[] _page = [];

    [Params(50 * 1024, 5 * 1024 * 1024)]
    public int PageBytes { get; set; }

    [GlobalSetup]
    public void Setup() => _page = PageMaker.Html(PageBytes);

    [Benchmark(Baseline = true)]
    public async Task PassThrough()
    {
        var context = NewContext(out var inner);
        await PageMaker.WriteInChunksAsync(inner.Stream, _page);
        await inner.CompleteAsync();
        _ = context;
    }

    [Benchmark]
    public async Task Injecting()
    {
        var context = NewContext(out var inner);
        var body = new InjectingBody(context, inner, () => Snippet);
        await PageMaker.WriteInChunksAsync(body, _page);
        await body.CompleteAsync();
    }

    private static DefaultHttpContext NewContext(out IHttpResponseBodyFeature inner)
    {
        var context = new DefaultHttpContext();
        inner = new StreamResponseBodyFeature(Stream.Null);
        context.Features.Set(inner);
        context.Response.ContentType = "text/html; charset=utf-8";
        return context;
    }
}
