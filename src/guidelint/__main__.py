from guidelint.launcher import main

main()
