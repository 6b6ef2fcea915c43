from survey.management.commands import forget_ended


class Command(forget_ended.Command):
    """The earlier name of forget_ended, for the daily jobs set up with it."""

    help = "The earlier name of forget_ended, which it runs. " + forget_ended.Command.help
