namespace Toolbar.Tests.Infrastructure;

/// <summary>The sample app on a PostgreSQL database of its own.</summary>
public sealed class PostgresSampleAppFactory() : SampleAppFactory("postgres");
