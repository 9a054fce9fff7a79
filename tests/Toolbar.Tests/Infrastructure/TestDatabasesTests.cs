namespace Toolbar.Tests.Infrastructure;

/// <summary>Tests that need a database server fail one by one, with a clear message, when it is missing; the test host lives on.</summary>
public class TestDatabasesTests
{
    [Theory]
    [InlineData("postgres", "Host=127.0.0.1;Username=postgres")]
    [InlineData("mysql", "")]
    [InlineData("mysql", null)]
    public void Dropping_a_connection_string_without_a_database_does_nothing(string kind, string? connectionString) =>
        Assert.Null(Record.Exception(() => TestDatabases.Drop(kind, connectionString)));

    [Fact]
    public void A_server_fixture_without_its_server_fails_with_the_variable_to_set_and_leaves_nothing_to_finalize()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestDatabases.PostgresVariable)))
        {
            // The server is there: the fixture builds and names a database of its own on it.
            using var factory = new PostgresSampleAppFactory();
            Assert.Contains("toolbar_", factory.ConnectionString, StringComparison.Ordinal);
            return;
        }

        var failure = Assert.Throws<InvalidOperationException>(static () => new PostgresSampleAppFactory());
        Assert.Contains(TestDatabases.PostgresVariable, failure.Message, StringComparison.Ordinal);

        // Its finalizer used to throw on the finalizer thread, which ends the whole test host; this run survives it.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
