from guidelint.entry import main

main()
