namespace Toolbar.Tests.Infrastructure;

/// <summary>Tests that measure the process (GC heap, many sockets) run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
