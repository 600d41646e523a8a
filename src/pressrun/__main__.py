from pressrun.cli import console

console()
