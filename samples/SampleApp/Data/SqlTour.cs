using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.EntityFrameworkCore;

namespace SampleApp.Data;

/// <summary>
/// The /sql/tour page: one of each thing a SQL view must show on every database: an EF Core transaction that is
/// rolled back, an ADO.NET transaction that is committed, a failing statement, a multi-statement batch and a
/// function (PostgreSQL) or stored procedure (MySQL/MariaDB) call.
/// </summary>
public static class SqlTour
{
    public static async Task<List<string>> RunAsync(SampleDatabase database, CatalogDb catalog)
    {
        var notes = new List<string>();

        await using (var transaction = await catalog.Database.BeginTransactionAsync())
        {
            catalog.Categories.Add(new Category { Id = 1000, Name = "Tour (rolled back)" });
            await catalog.SaveChangesAsync();
            var count = await catalog.Categories.CountAsync();
            await transaction.RollbackAsync();
            notes.Add($"EF Core transaction: inserted a category, counted {count}, rolled back.");
        }

        catalog.ChangeTracker.Clear();

        await using var connection = database.CreateProfiled();
        await connection.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var updated = await connection.ExecuteAsync($"UPDATE {database.Quote("Products")} SET {database.Quote("Price")} = {database.Quote("Price")} WHERE {database.Quote("Id")} = @id", new { id = 1 }, transaction);
            await transaction.CommitAsync();
            notes.Add($"ADO.NET transaction: updated {updated} row, committed.");
        }

        try
        {
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM no_such_table");
        }
        catch (DbException ex)
        {
            notes.Add($"A failing statement: {ex.Message}");
        }

        await using (var batch = await connection.QueryMultipleAsync($"SELECT COUNT(*) FROM {database.Quote("Products")}; SELECT COUNT(*) FROM {database.Quote("Categories")}"))
        {
            var products = await batch.ReadSingleAsync<long>();
            var categories = await batch.ReadSingleAsync<long>();
            notes.Add($"A batch of two statements: {products} products, {categories} categories.");
        }

        switch (database.Kind)
        {
            case "postgres":
                notes.Add($"A function call: product_count(3) = {await connection.ExecuteScalarAsync<long>("SELECT product_count(@category)", new { category = 3 })}.");
                break;
            case "mysql":
                notes.Add($"A stored procedure call: product_count(3) = {await connection.ExecuteScalarAsync<long>("product_count", new { category = 3 }, commandType: CommandType.StoredProcedure)}.");
                break;
            default:
                notes.Add("SQLite has no stored procedures or server-side functions to call.");
                break;
        }

        return notes;
    }
}
