using System.Globalization;

namespace Prune.Data;

/// <summary>A numeric CSV file read whole: a header of column names and rows of numbers (no quoting; commas separate).</summary>
internal sealed record CsvTable(string[] Header, IReadOnlyList<float[]> Rows)
{
    public static CsvTable Read(string path)
    {
        using var reader = new StreamReader(path);
        var headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine)) throw new DataFormatException(path, "the file is empty; a header row of column names is expected.");
        var header = headerLine.Split(',').Select(h => h.Trim()).ToArray();
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DataFormatException(path, $"line 1: the column '{duplicate.Key}' appears more than once.");

        var rows = new List<float[]>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != header.Length)
                throw new DataFormatException(path, $"line {lineNumber}: {cells.Length} values for {header.Length} columns.");
            var row = new float[cells.Length];
            for (var c = 0; c < cells.Length; c++)
            {
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out row[c]) || !float.IsFinite(row[c]))
                    throw new DataFormatException(path, $"line {lineNumber}, column '{header[c]}': '{cells[c].Trim()}' is not a finite number.");
            }
            rows.Add(row);
        }
        if (rows.Count == 0) throw new DataFormatException(path, "the file has a header but no data rows.");
        return new CsvTable(header, rows);
    }
}
