namespace Toolbar.Tests.Infrastructure;

/// <summary>The sample app on a MariaDB (MySQL) database of its own.</summary>
public sealed class MySqlSampleAppFactory() : SampleAppFactory("mysql");
