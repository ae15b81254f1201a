using System.Globalization;

namespace Prune.Data;

/// <summary>
/// A numeric CSV file read whole: a header of column names and rows of numbers (no quoting). The separator is the
/// header's most frequent of comma, semicolon and tab, so the files spreadsheets write in any locale read the same;
/// where the separator is not a comma, a decimal comma is read too (<c>1,5</c> as 1.5).
/// </summary>
internal sealed record CsvTable(string[] Header, IReadOnlyList<float[]> Rows)
{
    private static readonly char[] Separators = [',', ';', '\t'];

    public static CsvTable Read(string path)
    {
        using var reader = new StreamReader(path);
        var headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine)) throw new DataFormatException(path, "the file is empty; a header row of column names is expected.");
        if (headerLine.Any(c => c is '\0' or '\uFFFD'))
            throw new DataFormatException(path, "this is not a text file, so not a CSV file (a header row of column names, then rows of numbers). The data is 'mnist', a CSV file, or a folder holding MNIST's four IDX files.");
        var separator = Separators.MaxBy(s => headerLine.Count(c => c == s));
        var header = headerLine.Split(separator).Select(h => h.Trim()).ToArray();
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DataFormatException(path, $"line 1: the column '{duplicate.Key}' appears more than once.");

        var rows = new List<float[]>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var cells = line.Split(separator);
            if (cells.Length != header.Length)
                throw new DataFormatException(path, $"line {lineNumber}: {cells.Length} values for {header.Length} columns (separated by {Name(separator)}).");
            var row = new float[cells.Length];
            for (var c = 0; c < cells.Length; c++)
            {
                var cell = separator == ',' ? cells[c] : cells[c].Replace(',', '.');
                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out row[c]) || !float.IsFinite(row[c]))
                    throw new DataFormatException(path, $"line {lineNumber}, column '{header[c]}': '{cells[c].Trim()}' is not a finite number.");
            }
            rows.Add(row);
        }
        if (rows.Count == 0) throw new DataFormatException(path, "the file has a header but no data rows.");
        return new CsvTable(header, rows);
    }

    private static string Name(char separator) => separator switch
    {
        ',' => "commas",
        ';' => "semicolons",
        _ => "tabs",
    };
}
