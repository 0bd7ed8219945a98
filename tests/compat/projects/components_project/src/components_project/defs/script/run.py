print("the script ran")
