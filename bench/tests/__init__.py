"""The benchmark's own tests: its cost model (the product's tests, under tests/, never import bench)."""
