"""python manage.py generate_synthetic [--companies N] [--people N] [--tenures N] [--seed N] [--replace]"""

from django.core.management.base import BaseCommand, CommandError

from governance.synthetic import ImpossibleShape, RecordNotEmpty, Shape, generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with a realistic synthetic record (companies, people, tenures, "
        "sources and their history), the same for the same seed. For benchmarks and tests."
    )

    def add_arguments(self, parser):
        defaults = Shape()
        parser.add_argument("--companies", type=int, default=defaults.companies)
        parser.add_argument("--people", type=int, default=defaults.people)
        parser.add_argument("--tenures", type=int, default=defaults.tenures)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the record tables and their history first (roles and users stay).",
        )

    def handle(self, *args, **options):
        shape = Shape(options["companies"], options["people"], options["tenures"], options["seed"])
        self.stdout.write(
            f"Generating {shape.companies:,} companies, {shape.people:,} people and "
            f"{shape.tenures:,} tenures (seed {shape.seed})..."
        )
        try:
            summary = generate(shape, replace=options["replace"], report=self.stdout.write)
        except RecordNotEmpty as error:
            raise CommandError(
                f"{error} generate_synthetic fills an empty record: use another database, "
                "or --replace to empty this one first."
            ) from None
        except ImpossibleShape as error:
            raise CommandError(str(error)) from None
        width = max(len(table) for table in summary.rows)
        for table, rows in sorted(summary.rows.items()):
            self.stdout.write(f"  {table:<{width}} {rows:>12,}")
        self.stdout.write(f"Done: {sum(summary.rows.values()):,} rows in {summary.seconds:.1f} s.")
