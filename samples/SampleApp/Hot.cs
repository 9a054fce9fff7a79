using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SampleApp;

/// <summary>
/// The CPU demo behind <c>/cpu?ms=N</c>: a little I/O around about N milliseconds of pure computation in
/// <see cref="Spin"/>, called from <see cref="Compute"/>, so a profile has a known hottest method and caller.
/// </summary>
public static class Hot
{
    /// <summary>Awaits a little (no thread runs the request meanwhile), computes for <paramref name="ms"/> ms, awaits again.</summary>
    public static async Task<long> RunAsync(int ms)
    {
        await Task.Delay(10);
        var result = Compute(ms);
        await Task.Delay(10);
        return result;
    }

    /// <summary>The known caller of <see cref="Spin"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Compute(int ms) => Spin(ms) & 0xffff;

    /// <summary>Burns about <paramref name="ms"/> ms of CPU on the calling thread in arithmetic of its own.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Spin(int ms)
    {
        var until = Stopwatch.GetTimestamp() + (long)(ms * (double)Stopwatch.Frequency / 1000);
        var x = 17L;
        do
        {
            // Many steps per clock read, so nearly every sample lands in this method rather than in the clock.
            for (var i = 0; i < 20_000; i++)
            {
                x = (x * 6364136223846793005L) + 1442695040888963407L + i;
            }
        }
        while (Stopwatch.GetTimestamp() < until);

        return x;
    }
}
